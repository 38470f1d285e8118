package io.callosum.coordinator.federation;

import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.protocol.federation.AlignmentSpace;

import java.util.Objects;

/**
 * What an alignment federation trains on top of pretraining: the shared space's heads, with the frozen encoders of
 * the latest stored version of the federation named {@code encodersFrom} (a JEPA federation of the same model plan).
 */
public record AlignmentPlan(String encodersFrom, AlignmentSpace space) {
    public AlignmentPlan {
        if (encodersFrom == null || encodersFrom.isBlank()) {
            throw new IllegalArgumentException("an alignment federation names the federation whose encoders it"
                    + " aligns (encodersFrom)");
        }
        Objects.requireNonNull(space, "space");
        AlignmentConfig.from(space);
    }
}
