package io.callosum.coordinator.console;

import io.callosum.coordinator.access.ApiErrors;
import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.RequiresRole;
import io.callosum.coordinator.access.Role;
import io.callosum.coordinator.operator.SiteActions;
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

/** The console's sites page: what each site is and presents, and the operators' actions on it. */
@Path("/console/api/sites")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
public class ConsoleSitesResource {
    private final ConsoleView view;
    private final SiteActions actions;
    private final Caller caller;

    public ConsoleSitesResource(ConsoleView view, SiteActions actions, Caller caller) {
        this.view = view;
        this.actions = actions;
        this.caller = caller;
    }

    /** Why an operator acts; kept in the record and the audit log. */
    public record Reason(String reason) {
    }

    @GET
    @RequiresRole(Role.VIEWER)
    public List<ConsoleView.SiteView> sites() {
        return view.sites();
    }

    @POST
    @Path("/{name}/exclusion")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Excludes a site from rounds from the next round on; it stays connected")
    public Response exclude(@PathParam("name") String name, Reason reason) {
        return actions.exclude(name, reason == null ? null : reason.reason(), caller.actor())
                .map(exclusion -> Response.ok(exclusion).build())
                .orElseGet(() -> ApiErrors.of(Response.Status.CONFLICT, "site '" + name + "' is excluded already"));
    }

    @DELETE
    @Path("/{name}/exclusion")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Lets an excluded site take part in rounds again")
    public Response include(@PathParam("name") String name) {
        return actions.include(name, caller.actor())
                .map(lifted -> Response.ok(lifted).build())
                .orElseGet(() -> ApiErrors.of(Response.Status.CONFLICT, "site '" + name + "' is not excluded"));
    }

    @POST
    @Path("/{name}/certificate/revocation")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Revokes the site's certificate: its connection ends and it is refused from then on")
    public Response revokeCertificate(@PathParam("name") String name, Reason reason) {
        return actions.revokeCertificate(name, reason == null ? null : reason.reason(), caller.actor())
                .map(revocation -> Response.ok(revocation).build())
                .orElseGet(() -> ApiErrors.of(Response.Status.CONFLICT, "the certificate of site '" + name
                        + "' is revoked already"));
    }
}
