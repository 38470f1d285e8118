package io.callosum.coordinator.access;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Guards every endpoint annotated {@link RequiresScope} (bearer token), {@link RequiresRole} (console session) or
 * {@link RequiresRoleOrScope} (either): 401 when the credential is missing, unknown, revoked or expired, 403 when it
 * lacks the scope or role, each with a JSON body saying which. The configured {@link BootstrapToken} counts as a
 * token with scope admin.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AccessFilter implements ContainerRequestFilter {
    private static final String BEARER = "Bearer ";

    @Context
    ResourceInfo resource;

    private final ApiTokens tokens;
    private final BootstrapToken bootstrap;
    private final ConsoleSessions sessions;
    private final Caller caller;

    public AccessFilter(ApiTokens tokens, BootstrapToken bootstrap, ConsoleSessions sessions, Caller caller) {
        this.tokens = tokens;
        this.bootstrap = bootstrap;
        this.sessions = sessions;
        this.caller = caller;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method == null) {
            return;
        }
        RequiresScope scope = annotation(method, type, RequiresScope.class);
        if (scope != null) {
            checkToken(request, scope.value());
        }
        RequiresRole role = annotation(method, type, RequiresRole.class);
        if (role != null) {
            checkSession(request, role.value(), "not logged in to the console");
        }
        RequiresRoleOrScope either = annotation(method, type, RequiresRoleOrScope.class);
        if (either == null) {
            return;
        }
        if (request.getHeaderString(HttpHeaders.AUTHORIZATION) != null) {
            checkToken(request, new Scope[] {either.scope()});
        } else {
            checkSession(request, either.role(), "no credentials: send 'Authorization: Bearer <token>' with a token"
                    + " holding scope '" + either.scope().tag() + "', or log in to the console as "
                    + either.role().tag() + " or above");
        }
    }

    private void checkToken(ContainerRequestContext request, Scope[] anyOf) {
        String needed = Arrays.stream(anyOf).map(Scope::tag).collect(Collectors.joining("' or '"));
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            unauthorized(request, "missing bearer token: send 'Authorization: Bearer <token>' with a token holding"
                    + " scope '" + needed + "'");
            return;
        }
        if (!header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            unauthorized(request, "the Authorization header must be 'Bearer <token>'");
            return;
        }
        String secret = header.substring(BEARER.length()).strip();
        if (bootstrap.matches(secret)) {
            if (Arrays.asList(anyOf).contains(Scope.ADMIN)) {
                caller.bootstrap();
            } else {
                request.abortWith(ApiErrors.of(Response.Status.FORBIDDEN, "the bootstrap token holds only scope"
                        + " 'admin'; this needs '" + needed + "'"));
            }
            return;
        }
        Optional<ApiToken> token = tokens.bySecret(secret);
        if (token.isEmpty()) {
            unauthorized(request, "unknown bearer token");
        } else if (token.get().revoked()) {
            unauthorized(request, "bearer token '" + token.get().name() + "' (" + token.get().prefix()
                    + "...) was revoked at " + token.get().revokedAt().orElseThrow());
        } else if (Arrays.stream(anyOf).noneMatch(token.get().scopes()::contains)) {
            request.abortWith(ApiErrors.of(Response.Status.FORBIDDEN, "bearer token '" + token.get().name()
                    + "' lacks scope '" + needed + "'; it holds " + token.get().scopes().stream()
                    .map(Scope::tag).sorted().toList()));
        } else {
            caller.token(token.get());
        }
    }

    private void checkSession(ContainerRequestContext request, Role needed, String whenMissing) {
        Cookie cookie = request.getCookies().get(ConsoleSessions.COOKIE);
        Optional<ConsoleUser> user = sessions.user(cookie == null ? null : cookie.getValue());
        if (user.isEmpty()) {
            request.abortWith(ApiErrors.of(Response.Status.UNAUTHORIZED, cookie == null
                    ? whenMissing : "console session expired or unknown; log in again"));
        } else if (!user.get().role().includes(needed)) {
            request.abortWith(ApiErrors.of(Response.Status.FORBIDDEN, "user '" + user.get().name() + "' is "
                    + user.get().role().tag() + "; this needs " + needed.tag()));
        } else {
            caller.consoleUser(user.get());
        }
    }

    private static void unauthorized(ContainerRequestContext request, String why) {
        Response refusal = ApiErrors.of(Response.Status.UNAUTHORIZED, why);
        refusal.getHeaders().add(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"callosum\"");
        request.abortWith(refusal);
    }

    private static <A extends Annotation> A annotation(Method method, Class<?> type, Class<A> kind) {
        A onMethod = method.getAnnotation(kind);
        return onMethod != null ? onMethod : type.getAnnotation(kind);
    }
}
