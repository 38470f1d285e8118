package io.callosum.coordinator.access;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in console sessions, kept in memory by the SHA-256 of their cookie value: a coordinator restart logs
 * everyone out, which for an operators' console is the safe side.
 */
@ApplicationScoped
public class ConsoleSessions {
    public static final String COOKIE = "callosum_session";

    private final ConsoleSettings settings;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public ConsoleSessions(ConsoleSettings settings) {
        this.settings = settings;
    }

    /** A new session for the user; the returned value goes into the cookie and nowhere else. */
    public String open(ConsoleUser user) {
        String secret = Secrets.generate("");
        sessions.put(Secrets.sha256(secret), new Session(user, Instant.now().plus(settings.sessionLifetime())));
        return secret;
    }

    public Optional<ConsoleUser> user(String secret) {
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        String key = Secrets.sha256(secret);
        Session session = sessions.get(key);
        if (session == null) {
            return Optional.empty();
        }
        if (session.expires().isBefore(Instant.now())) {
            sessions.remove(key);
            return Optional.empty();
        }
        return Optional.of(session.user());
    }

    public void close(String secret) {
        if (secret != null) {
            sessions.remove(Secrets.sha256(secret));
        }
    }

    public long lifetimeSeconds() {
        return settings.sessionLifetime().toSeconds();
    }

    public boolean secureCookie() {
        return settings.secureCookie();
    }

    private record Session(ConsoleUser user, Instant expires) {
    }
}
