package io.callosum.coordinator.audit;

import io.callosum.coordinator.access.RequiresRoleOrScope;
import io.callosum.coordinator.access.Role;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;
import java.util.Map;

/** Operators read the audit log here, newest first: console viewers and above, or a token of scope admin. */
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
@RequiresRoleOrScope(role = Role.VIEWER)
public class AuditResource {
    private static final int MAX_LIMIT = 1000;

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    @GET
    public Response latest(@QueryParam("limit") @DefaultValue("100") int limit,
                           @QueryParam("subject") String subject) {
        if (limit < 1 || limit > MAX_LIMIT) {
            return Response.status(Response.Status.BAD_REQUEST)
                    .entity(Map.of("error", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit)).build();
        }
        List<AuditEntry> entries = auditLog.latest(limit, subject);
        return Response.ok(entries).build();
    }
}
