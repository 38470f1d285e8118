package io.callosum.coordinator.console;

import io.callosum.coordinator.access.ApiErrors;
import io.callosum.coordinator.access.ApiToken;
import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.ConsoleSessions;
import io.callosum.coordinator.access.ConsoleUser;
import io.callosum.coordinator.access.ConsoleUsers;
import io.callosum.coordinator.access.RequiresRole;
import io.callosum.coordinator.access.Role;
import io.callosum.coordinator.access.TokenResource;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationService;
import io.callosum.coordinator.federation.FederationSettings;
import io.callosum.coordinator.federation.StoredFederation;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin console's JSON and live stream, behind a login; the pages themselves are static files under
 * {@code /console/}. Viewers read, operators also start and stop federations and revoke tokens, admins also create
 * tokens and users. Sites and models have resources of their own ({@link ConsoleSitesResource},
 * {@link ConsoleModelsResource}).
 */
@Path("/console/api")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
public class ConsoleResource {
    private static final Duration PUSH_EVERY = Duration.ofSeconds(1);

    private final ConsoleUsers users;
    private final ConsoleSessions sessions;
    private final ConsoleView view;
    private final ApiTokens tokens;
    private final FederationService federations;
    private final FederationSettings defaults;
    private final Caller caller;

    public ConsoleResource(ConsoleUsers users, ConsoleSessions sessions, ConsoleView view, ApiTokens tokens,
                           FederationService federations, FederationSettings defaults, Caller caller) {
        this.users = users;
        this.sessions = sessions;
        this.view = view;
        this.tokens = tokens;
        this.federations = federations;
        this.defaults = defaults;
        this.caller = caller;
    }

    public record Login(String name, String password) {
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Logs in; the session travels in an HttpOnly, SameSite=Strict cookie")
    public Response login(Login login) {
        Optional<ConsoleUser> user = login == null ? Optional.empty() : users.authenticate(login.name(),
                login.password());
        if (user.isEmpty()) {
            return ApiErrors.of(Response.Status.UNAUTHORIZED, "unknown user or wrong password");
        }
        return Response.ok(user.get()).cookie(cookie(sessions.open(user.get()), (int) sessions.lifetimeSeconds()))
                .build();
    }

    @POST
    @Path("/logout")
    public Response logout(@CookieParam(ConsoleSessions.COOKIE) String session) {
        sessions.close(session);
        return Response.noContent().cookie(cookie("", 0)).build();
    }

    @GET
    @Path("/me")
    @RequiresRole(Role.VIEWER)
    public ConsoleUser me() {
        return caller.consoleUser();
    }

    @GET
    @Path("/federations")
    @RequiresRole(Role.VIEWER)
    public List<FederationSnapshot> federations() {
        return view.federations();
    }

    @GET
    @Path("/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.VIEWER)
    @Operation(summary = "Server-sent events: every federation's snapshot, sent whenever any of them changes")
    public Multi<List<FederationSnapshot>> events() {
        return Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(PUSH_EVERY)
                .onOverflow().drop()
                .map(tick -> view.federations())
                .skip().repetitions();
    }

    @GET
    @Path("/federations/template")
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "The plan the coordinator's configuration describes: where a new federation's plan starts")
    public FederationPlan template() {
        return FederationPlan.from(defaults);
    }

    @POST
    @Path("/federations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Starts a federation from a plan (or resumes an unfinished one of that name)")
    public StoredFederation start(FederationPlan plan) {
        return federations.start(plan, caller.actor());
    }

    @POST
    @Path("/federations/{name}/stop")
    @RequiresRole(Role.OPERATOR)
    public Response stop(@PathParam("name") String name) throws InterruptedException {
        return federations.stop(name, caller.actor()) ? Response.ok(Map.of("stopped", name)).build()
                : ApiErrors.of(Response.Status.CONFLICT, "federation '" + name + "' does not exist or has finished");
    }

    @GET
    @Path("/audit")
    @RequiresRole(Role.VIEWER)
    public ConsoleView.AuditView audit(@QueryParam("limit") @DefaultValue("100") int limit) {
        return view.audit(Math.max(1, Math.min(limit, 1000)));
    }

    @GET
    @Path("/tokens")
    @RequiresRole(Role.VIEWER)
    public List<ApiToken> tokens() {
        return tokens.all();
    }

    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.ADMIN)
    public Response createToken(TokenResource.TokenRequest request) {
        return TokenResource.created(tokens, request, caller.actor());
    }

    @DELETE
    @Path("/tokens/{id}")
    @RequiresRole(Role.OPERATOR)
    public Response revokeToken(@PathParam("id") long id) {
        return TokenResource.revoked(tokens, id, caller.actor());
    }

    public record NewUser(String name, String password, String role) {
    }

    @POST
    @Path("/users")
    @Consumes(MediaType.APPLICATION_JSON)
    @RequiresRole(Role.ADMIN)
    public Response createUser(NewUser user) {
        if (user == null) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "expected {name, password, role}");
        }
        ConsoleUser created = users.create(user.name(), user.password(), Role.of(String.valueOf(user.role())),
                caller.actor());
        return Response.status(Response.Status.CREATED).entity(created).build();
    }

    /** Scoped to the whole site, so that the session also opens the operators' API under {@code /api}. */
    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(ConsoleSessions.COOKIE).value(value).path("/").maxAge(maxAge)
                .httpOnly(true).secure(sessions.secureCookie()).sameSite(NewCookie.SameSite.STRICT).build();
    }
}
