package io.callosum.coordinator.access;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The console's users and sessions ({@code callosum.console.*}). */
@ConfigMapping(prefix = "callosum.console")
public interface ConsoleSettings {
    /**
     * The password of the first admin, {@code admin}, created when the database holds no console user; without it a
     * random one is generated and logged once.
     */
    Optional<String> adminPassword();

    /** PBKDF2 iterations for new password hashes (OWASP's figure for PBKDF2-HMAC-SHA256). */
    @WithDefault("600000")
    int passwordIterations();

    /** How long a console login lasts. */
    @WithDefault("PT8H")
    Duration sessionLifetime();

    /** Whether the session cookie is marked Secure (sent over HTTPS only); on wherever the console is behind TLS. */
    @WithDefault("false")
    boolean secureCookie();
}
