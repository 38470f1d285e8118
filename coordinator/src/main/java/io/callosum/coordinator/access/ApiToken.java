package io.callosum.coordinator.access;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.Set;

/** A stored API token as operators see it: never the secret, only its first characters. */
public record ApiToken(long id, String name, String prefix, Set<Scope> scopes, String createdBy,
                       OffsetDateTime createdAt, Optional<OffsetDateTime> lastUsedAt,
                       Optional<OffsetDateTime> revokedAt, Optional<String> revokedBy) {

    public boolean revoked() {
        return revokedAt.isPresent();
    }
}
