package io.callosum.coordinator.inference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.RequiresScope;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Operators register reference banks: named sets of consented or generated reference subjects (never site data),
 * embedded with one model version, one modality per request, optionally labelled. They feed the out-of-distribution
 * scores, cross-modal retrieval and diagnosis probes, and are kept in PostgreSQL.
 */
@Path("/api/v1/references")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "reference banks")
public class ReferenceBankResource {
    private final ReferenceBanks banks;
    private final ReferenceRegistration registration;
    private final Caller caller;
    private final ObjectMapper json;

    public ReferenceBankResource(ReferenceBanks banks, ReferenceRegistration registration, Caller caller,
                                 ObjectMapper json) {
        this.banks = banks;
        this.registration = registration;
        this.caller = caller;
        this.json = json;
    }

    @GET
    @RequiresScope({Scope.EMBED, Scope.PREDICT, Scope.ADMIN})
    @Operation(summary = "Every reference bank: its model version and per modality its subjects and classes")
    public List<StoredBank> list() {
        return banks.all();
    }

    @GET
    @Path("/{name}")
    @RequiresScope({Scope.EMBED, Scope.PREDICT, Scope.ADMIN})
    @Operation(summary = "One reference bank")
    public StoredBank one(@PathParam("name") String name) {
        return banks.bank(name);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Adds one modality's reference subjects to a bank (created if new): JSON tensors in the"
            + " model's input layout, or precomputed encoder embeddings ('vector')")
    public ReferenceBanks.Summary register(ReferenceRequest request) {
        if (request == null || request.subjects() == null || request.subjects().isEmpty()) {
            throw InferenceException.badRequest("expected a JSON body {name, modality, subjects: [{id, label, shape,"
                    + " values} or {id, label, vector}][, model_version]}");
        }
        Modality modality = RequestInputs.modality(request.modality());
        List<ReferenceSubject> subjects = request.subjects();
        List<String> ids = new ArrayList<>();
        int[] labels = new int[subjects.size()];
        long precomputed = subjects.stream().filter(s -> s.vector() != null).count();
        if (precomputed != 0 && precomputed != subjects.size()) {
            throw InferenceException.badRequest("give every reference subject either a tensor (shape, values) or a"
                    + " precomputed 'vector', not a mix");
        }
        for (int i = 0; i < labels.length; i++) {
            ReferenceSubject subject = subjects.get(i);
            ids.add(subject.id() == null ? "reference-" + (i + 1) : subject.id());
            labels[i] = subject.label() == null ? BankSubjects.UNLABELLED : subject.label();
        }
        Optional<Long> version = Optional.ofNullable(request.model_version());
        if (precomputed > 0) {
            return registration.vectors(request.name(), modality, ids,
                    subjects.stream().map(ReferenceSubject::vector).toArray(float[][]::new), labels, version,
                    caller.actor());
        }
        ModalityDataset inputs = RequestInputs.tensors(modality, ids,
                subjects.stream().map(ReferenceSubject::shape).toList(),
                subjects.stream().map(ReferenceSubject::values).toList());
        return registration.inputs(request.name(), inputs, labels, version, caller.actor());
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Adds one modality's reference subjects to a bank from uploaded files (one 'file' part each:"
            + " NIfTI or EDF named after its subject, or omics tables of one subject per row); optional 'labels', a"
            + " JSON object of subject id to class index")
    public ReferenceBanks.Summary upload(@RestForm("name") String name, @RestForm("modality") String modality,
                                         @RestForm("model_version") String modelVersion,
                                         @RestForm("file") List<FileUpload> files,
                                         @RestForm("labels") String labels) {
        ModalityDataset inputs = RequestInputs.files(files, RequestInputs.modality(modality));
        return registration.inputs(name, inputs, labels(labels, inputs.subjects()),
                RequestInputs.version(modelVersion), caller.actor());
    }

    @DELETE
    @Path("/{name}")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Deletes a reference bank and its subjects (refused while a diagnosis probe uses it)")
    public Response delete(@PathParam("name") String name) {
        banks.delete(name, caller.actor());
        return Response.noContent().build();
    }

    public record ReferenceSubject(String id, Integer label, List<Integer> shape, float[] values, float[] vector) {
    }

    public record ReferenceRequest(String name, String modality, Long model_version, List<ReferenceSubject> subjects) {
    }

    private int[] labels(String text, List<String> subjects) {
        int[] labels = new int[subjects.size()];
        Arrays.fill(labels, BankSubjects.UNLABELLED);
        if (text == null || text.isBlank()) {
            return labels;
        }
        Map<String, Integer> given;
        try {
            given = json.readValue(text, new TypeReference<Map<String, Integer>>() { });
        } catch (JsonProcessingException e) {
            throw InferenceException.badRequest("'labels' must be a JSON object of subject id to class index: "
                    + e.getOriginalMessage());
        }
        Set<String> unknown = new HashSet<>(given.keySet());
        subjects.forEach(unknown::remove);
        if (!unknown.isEmpty()) {
            throw InferenceException.unprocessable("'labels' names subjects not uploaded: " + unknown.stream().sorted()
                    .toList() + "; uploaded " + subjects);
        }
        for (int i = 0; i < labels.length; i++) {
            Integer label = given.get(subjects.get(i));
            labels[i] = label == null ? BankSubjects.UNLABELLED : label;
        }
        return labels;
    }
}
