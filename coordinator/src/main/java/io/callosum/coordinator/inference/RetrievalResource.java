package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.RequiresScope;
import io.callosum.coordinator.access.Scope;
import io.callosum.encoders.data.ModalityDataset;
import jakarta.ws.rs.Consumes;
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

/** Cross-modal nearest neighbours within an operator's reference bank, for clinical tools. */
@Path("/api/v1/retrieve")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
@RequiresScope(Scope.EMBED)
public class RetrievalResource {
    static final int DEFAULT_K = 5;

    private final RetrievalService retrieval;

    public RetrievalResource(RetrievalService retrieval) {
        this.retrieval = retrieval;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "The k reference subjects of 'target_modality' in 'bank' nearest to an uploaded NIfTI-1,"
            + " EDF/EDF+ or omics TSV (one query per row) in the shared space, with cosine and energy")
    public RetrievalResult file(@RestForm("file") FileUpload file, @RestForm("modality") String modality,
                                @RestForm("target_modality") String target, @RestForm("bank") String bank,
                                @RestForm("k") String k, @RestForm("model_version") String modelVersion) {
        ModalityDataset inputs = RequestInputs.file(file, RequestInputs.modality(modality));
        return retrieval.retrieve(inputs, RequestInputs.modality(target, "target_modality"), bank,
                RequestInputs.optionalInteger(k, "k").orElse(DEFAULT_K), RequestInputs.version(modelVersion),
                "file '" + file.fileName() + "'");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The k reference subjects of 'target_modality' in 'bank' nearest to a JSON tensor in the"
            + " shared space, with cosine and energy")
    public RetrievalResult tensor(RetrievalRequest request) {
        if (request == null) {
            throw InferenceException.badRequest("expected a JSON body {modality, shape, values, target_modality,"
                    + " bank[, k][, model_version]}");
        }
        ModalityDataset inputs = InputDecoder.tensor(RequestInputs.modality(request.modality()), request.shape(),
                request.values());
        return retrieval.retrieve(inputs, RequestInputs.modality(request.target_modality(), "target_modality"),
                request.bank(), Optional.ofNullable(request.k()).orElse(DEFAULT_K),
                Optional.ofNullable(request.model_version()), "tensor");
    }

    public record RetrievalRequest(String modality, Long model_version, List<Integer> shape, float[] values,
                                   String target_modality, String bank, Integer k) {
    }
}
