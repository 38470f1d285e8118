package io.callosum.coordinator.access;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** Access to the operators' API ({@code callosum.api.*}). */
@ConfigMapping(prefix = "callosum.api")
public interface ApiSettings {
    /**
     * A bearer secret with scope {@code admin} that needs no database row: what a deployment or the demo starts
     * federations with before any admin has created a token. Best passed as {@code CALLOSUM_API_BOOTSTRAP_TOKEN};
     * the coordinator keeps only its SHA-256.
     */
    Optional<String> bootstrapToken();
}
