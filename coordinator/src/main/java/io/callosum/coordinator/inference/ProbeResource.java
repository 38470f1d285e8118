package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.RequiresScope;
import io.callosum.coordinator.access.Scope;
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

import java.util.List;
import java.util.Optional;

/** Admins register diagnosis probes, fitted and calibrated on a labelled reference bank; everyone may list them. */
@Path("/api/v1/probes")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "diagnosis probes")
public class ProbeResource {
    static final double DEFAULT_CALIBRATION_FRACTION = 0.5;
    static final long DEFAULT_SEED = 7;

    private final DiagnosisProbes probes;
    private final Caller caller;

    public ProbeResource(DiagnosisProbes probes, Caller caller) {
        this.probes = probes;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Fits a linear probe on part of a labelled bank modality and calibrates its conformal"
            + " scores (aps or lac) on the rest (calibration_fraction of each class, default 0.5)")
    public Response register(ProbeRequest request) {
        if (request == null) {
            throw InferenceException.badRequest("expected a JSON body {name, bank, modality[, score]"
                    + "[, calibration_fraction][, seed]}");
        }
        ProbeSummary created = probes.register(new DiagnosisProbes.Registration(request.name(), request.bank(),
                RequestInputs.modality(request.modality()), request.score(),
                Optional.ofNullable(request.calibration_fraction()).orElse(DEFAULT_CALIBRATION_FRACTION),
                Optional.ofNullable(request.seed()).orElse(DEFAULT_SEED)), caller.actor());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    @GET
    @RequiresScope({Scope.EMBED, Scope.PREDICT, Scope.ADMIN})
    @Operation(summary = "Every diagnosis probe: its bank, version, modality, sizes, accuracy and highest coverage")
    public List<ProbeSummary> list() {
        return probes.all();
    }

    @GET
    @Path("/{name}")
    @RequiresScope({Scope.EMBED, Scope.PREDICT, Scope.ADMIN})
    @Operation(summary = "One diagnosis probe")
    public ProbeSummary one(@PathParam("name") String name) {
        return probes.summary(name);
    }

    @DELETE
    @Path("/{name}")
    @RequiresScope(Scope.ADMIN)
    @Operation(summary = "Deletes a diagnosis probe")
    public Response delete(@PathParam("name") String name) {
        probes.delete(name, caller.actor());
        return Response.noContent().build();
    }

    public record ProbeRequest(String name, String bank, String modality, String score, Double calibration_fraction,
                               Long seed) {
    }
}
