package io.callosum.coordinator.access;

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

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Admins manage API tokens over the API (the console's token page does the same for logged-in admins). */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tokens")
@RequiresScope(Scope.ADMIN)
public class TokenResource {
    private final ApiTokens tokens;
    private final Caller caller;

    public TokenResource(ApiTokens tokens, Caller caller) {
        this.tokens = tokens;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "All tokens, revoked ones included; never their secrets")
    public List<ApiToken> list() {
        return tokens.all();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Creates a token; its secret is in this response only")
    public Response create(TokenRequest request) {
        return created(tokens, request, caller.actor());
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Revokes a token for good")
    public Response revoke(@PathParam("id") long id) {
        return revoked(tokens, id, caller.actor());
    }

    /** What an admin asks for: a name saying who holds it, and its scopes. */
    public record TokenRequest(String name, List<String> scopes) {
        public Set<Scope> parsedScopes() {
            Set<Scope> parsed = EnumSet.noneOf(Scope.class);
            if (scopes != null) {
                scopes.forEach(s -> parsed.add(Scope.of(s)));
            }
            return parsed;
        }
    }

    public static Response created(ApiTokens tokens, TokenRequest request, String actor) {
        if (request == null) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "expected a JSON body {\"name\": ..., \"scopes\": [...]}");
        }
        IssuedToken issued = tokens.create(request.name(), request.parsedScopes(), actor);
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    public static Response revoked(ApiTokens tokens, long id, String actor) {
        if (tokens.revoke(id, actor)) {
            return Response.ok(tokens.byId(id).orElseThrow()).build();
        }
        return tokens.byId(id).isPresent()
                ? ApiErrors.of(Response.Status.CONFLICT, "token " + id + " was already revoked")
                : ApiErrors.of(Response.Status.NOT_FOUND, "no token with id " + id);
    }
}
