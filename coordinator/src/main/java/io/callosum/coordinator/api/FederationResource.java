package io.callosum.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.RequiresRoleOrScope;
import io.callosum.coordinator.access.Role;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.FederationService;
import io.callosum.coordinator.federation.FederationSettings;
import io.callosum.coordinator.federation.SecureAggregationPlan;
import io.callosum.coordinator.federation.RoundRecord;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Operators' and the demo's view of federations: plan, status, rounds with their metrics, versions. Read by console
 * viewers and above; started by operators and above, or with a token of scope admin.
 */
@Path("/api/federations")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRoleOrScope(role = Role.VIEWER)
public class FederationResource {
    private final FederationRecords records;
    private final FederationService federations;
    private final ModelRegistry models;
    private final ParticipantRegistry participants;
    private final Caller caller;
    private final FederationSettings settings;
    private final ObjectMapper json;

    public FederationResource(FederationRecords records, FederationService federations, ModelRegistry models,
                              ParticipantRegistry participants, Caller caller, FederationSettings settings,
                              ObjectMapper json) {
        this.records = records;
        this.federations = federations;
        this.models = models;
        this.participants = participants;
        this.caller = caller;
        this.settings = settings;
        this.json = json;
    }

    @GET
    public List<String> names() {
        return records.names();
    }

    /**
     * Starts a federation, or resumes it if one of that name is unfinished. A plan that leaves out
     * {@code secureAggregation} gets this coordinator's configured setting (on by default), never silently off:
     * turning it off is something an operator says.
     */
    @POST
    @RequiresRoleOrScope(role = Role.OPERATOR)
    public StoredFederation start(
            @RequestBody(content = @Content(schema = @Schema(implementation = FederationPlan.class))) JsonNode body) {
        ObjectNode plan = PlanDefaults.completed(body, SecureAggregationPlan.configured(settings.secureAggregation()),
                json);
        try {
            return federations.start(json.treeToValue(plan, FederationPlan.class), caller.actor());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the federation plan does not parse: " + e.getOriginalMessage());
        }
    }

    @GET
    @Path("/{name}")
    public FederationView federation(@PathParam("name") String name) {
        StoredFederation federation = records.find(name)
                .orElseThrow(() -> new NotFoundException("no federation named '" + name + "'"));
        List<RoundView> rounds = records.rounds(federation.id()).stream()
                .map(round -> new RoundView(round, records.results(round.id()))).toList();
        List<String> connected = participants.connected().stream().map(Participant::name)
                .collect(Collectors.toList());
        return new FederationView(federation, rounds, models.versions(federation.id()), connected);
    }

    public record RoundView(RoundRecord round, List<JsonNode> results) {
    }

    public record FederationView(StoredFederation federation, List<RoundView> rounds, List<ModelVersion> versions,
                                 List<String> connected) {
    }
}
