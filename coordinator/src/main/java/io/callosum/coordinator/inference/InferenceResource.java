package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.RequiresScope;
import io.callosum.coordinator.access.Scope;
import io.callosum.encoders.data.ModalityDataset;
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
        ModalityDataset inputs = RequestInputs.file(file, RequestInputs.modality(modality));
        return embeddings.embed(inputs, RequestInputs.version(modelVersion), "file '" + file.fileName() + "'");
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
        ModalityDataset inputs = InputDecoder.tensor(RequestInputs.modality(request.modality()), request.shape(),
                request.values());
        return embeddings.embed(inputs, Optional.ofNullable(request.model_version()), "tensor");
    }

    /** An input as a tensor: {@code shape} per modality as {@link InputDecoder#tensor} says. */
    public record TensorRequest(String modality, Long model_version, List<Integer> shape, float[] values) {
    }
}
