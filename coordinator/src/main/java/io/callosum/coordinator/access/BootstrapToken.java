package io.callosum.coordinator.access;

import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The configured bootstrap credential ({@link ApiSettings#bootstrapToken()}), held only as its SHA-256 and compared
 * in constant time. It carries scope {@code admin} and nothing else; its calls are audited as
 * {@value #ACTOR}.
 */
@ApplicationScoped
public class BootstrapToken {
    public static final String ACTOR = "bootstrap-token";
    /** As long as a generated API token's random part, so that it is as hard to guess. */
    static final int MIN_LENGTH = 32;

    private final Optional<byte[]> hash;

    public BootstrapToken(ApiSettings settings) {
        Optional<String> configured = settings.bootstrapToken().map(String::strip).filter(s -> !s.isEmpty());
        configured.ifPresent(secret -> {
            if (secret.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("callosum.api.bootstrap-token must have at least " + MIN_LENGTH
                        + " characters, got " + secret.length());
            }
        });
        this.hash = configured.map(BootstrapToken::digest);
    }

    public boolean matches(String secret) {
        return hash.isPresent() && MessageDigest.isEqual(hash.get(), digest(secret));
    }

    private static byte[] digest(String secret) {
        return Secrets.sha256(secret).getBytes(StandardCharsets.US_ASCII);
    }
}
