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

/** A diagnosis probe's prediction for clinical tools: class probabilities and a conformal set. */
@Path("/api/v1/predictions")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "inference")
@RequiresScope(Scope.PREDICT)
public class PredictionResource {
    private final DiagnosisProbes probes;

    public PredictionResource(DiagnosisProbes probes) {
        this.probes = probes;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "A probe's class probabilities and conformal set at 'coverage' (default 0.9) for an uploaded"
            + " NIfTI-1, EDF/EDF+ or omics TSV (one prediction per row)")
    public PredictionResult file(@RestForm("file") FileUpload file, @RestForm("modality") String modality,
                                 @RestForm("probe") String probe, @RestForm("coverage") String coverage,
                                 @RestForm("model_version") String modelVersion) {
        ModalityDataset inputs = RequestInputs.file(file, RequestInputs.modality(modality));
        return probes.predict(inputs, probe, RequestInputs.optionalNumber(coverage, "coverage"),
                RequestInputs.version(modelVersion), "file '" + file.fileName() + "'");
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A probe's class probabilities and conformal set at 'coverage' (default 0.9) for a JSON"
            + " tensor")
    public PredictionResult tensor(PredictionRequest request) {
        if (request == null) {
            throw InferenceException.badRequest("expected a JSON body {modality, shape, values, probe[, coverage]"
                    + "[, model_version]}");
        }
        ModalityDataset inputs = InputDecoder.tensor(RequestInputs.modality(request.modality()), request.shape(),
                request.values());
        return probes.predict(inputs, request.probe(), Optional.ofNullable(request.coverage()),
                Optional.ofNullable(request.model_version()), "tensor");
    }

    public record PredictionRequest(String modality, Long model_version, List<Integer> shape, float[] values,
                                    String probe, Double coverage) {
    }
}
