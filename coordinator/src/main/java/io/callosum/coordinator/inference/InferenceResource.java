package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.RequiresScope;
import io.callosum.coordinator.access.Scope;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The inference API for clinical tools: stored versions, and embeddings of their inputs with uncertainty. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
public class InferenceResource {
    private final ModelCatalog catalog;
    private final EmbeddingService embeddings;

    public InferenceResource(ModelCatalog catalog, EmbeddingService embeddings) {
        this.catalog = catalog;
        this.embeddings = embeddings;
    }

    @GET
    @Path("/models")
    @RequiresScope({Scope.EMBED, Scope.PREDICT, Scope.ADMIN})
    @Operation(summary = "Every stored global version: federation, round, parent, modalities and round metrics")
    public List<ModelEntry> models() {
        return catalog.entries();
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequiresScope(Scope.EMBED)
    @Operation(summary = "Embeds an uploaded NIfTI-1 image, EDF/EDF+ recording or omics TSV (one embedding per row)")
    public EmbeddingResult embedFile(@RestForm("file") FileUpload file, @RestForm("modality") String modality,
                                     @RestForm("model_version") String modelVersion) {
        if (file == null) {
            throw InferenceException.badRequest("multipart field 'file' is missing");
        }
        ModalityDataset inputs = InputDecoder.file(file.uploadedFile(), file.fileName(), modality(modality));
        return embeddings.embed(inputs, version(modelVersion), "file '" + file.fileName() + "'");
    }

    @POST
    @Path("/embeddings")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.EMBED)
    @Operation(summary = "Embeds a JSON tensor already in the model's normalized input layout")
    public EmbeddingResult embedTensor(TensorRequest request) {
        if (request == null) {
            throw InferenceException.badRequest("expected a JSON body {modality, shape, values[, model_version]}");
        }
        ModalityDataset inputs = InputDecoder.tensor(modality(request.modality()), request.shape(), request.values());
        return embeddings.embed(inputs, Optional.ofNullable(request.model_version()), "tensor");
    }

    @POST
    @Path("/references")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Registers reference subjects (consented or generated, never site data) for a version's"
            + " out-of-distribution scores")
    public ReferenceBanks.Summary register(ReferenceRequest request) {
        if (request == null || request.subjects() == null || request.subjects().isEmpty()) {
            throw InferenceException.badRequest("expected a JSON body {name, modality, subjects: [{label, shape,"
                    + " values}][, model_version]}");
        }
        Modality modality = modality(request.modality());
        List<float[]> rows = new ArrayList<>();
        int[] labels = new int[request.subjects().size()];
        ModalityDataset first = null;
        for (int i = 0; i < labels.length; i++) {
            ReferenceSubject subject = request.subjects().get(i);
            ModalityDataset one = InputDecoder.tensor(modality, subject.shape(), subject.values());
            if (first != null && !first.geometry().equals(one.geometry())) {
                throw InferenceException.unprocessable("reference subject " + i + " has shape " + subject.shape()
                        + ", unlike subject 0");
            }
            first = first == null ? one : first;
            rows.add(one.inputs()[0]);
            labels[i] = subject.label() == null ? 0 : subject.label();
        }
        ModalityDataset subjects = new ModalityDataset(modality, first.geometry(),
                rows.stream().map(r -> "reference").toList(), rows.toArray(float[][]::new), labels);
        String name = request.name() == null || request.name().isBlank() ? "reference" : request.name();
        return embeddings.register(name, subjects, labels, Optional.ofNullable(request.model_version()));
    }

    /** An input as a tensor: {@code shape} per modality as {@link InputDecoder#tensor} says. */
    public record TensorRequest(String modality, Long model_version, List<Integer> shape, float[] values) {
    }

    public record ReferenceSubject(Integer label, List<Integer> shape, float[] values) {
    }

    public record ReferenceRequest(String name, String modality, Long model_version, List<ReferenceSubject> subjects) {
    }

    private static Modality modality(String tag) {
        if (tag == null || tag.isBlank()) {
            throw InferenceException.badRequest("'modality' is missing: one of imaging, eeg, omics");
        }
        Modality modality;
        try {
            modality = Modality.fromTag(tag.strip());
        } catch (IllegalArgumentException e) {
            throw InferenceException.badRequest(e.getMessage());
        }
        if (modality == Modality.SHARED || modality == Modality.PLAIN) {
            throw InferenceException.badRequest("'" + tag + "' is not an input modality: one of imaging, eeg, omics");
        }
        return modality;
    }

    private static Optional<Long> version(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(text.strip()));
        } catch (NumberFormatException e) {
            throw InferenceException.badRequest("'model_version' must be a version id, got '" + text + "'");
        }
    }
}
