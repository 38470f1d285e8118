package io.callosum.coordinator.federation;

import java.time.Duration;

/**
 * Whether a federation's rounds are securely aggregated (SecAgg+), and how: {@code clip} bounds how far one
 * site's weighted update may move any parameter in one round (the fixed-point range, see
 * {@link io.callosum.protocol.secagg.FixedPointQuantizer}); {@code stageTimeout} is how long each stage after
 * training waits for answers before the sites that did not answer count as dropped.
 */
public record SecureAggregationPlan(boolean enabled, double clip, Duration stageTimeout) {
    /** The fewest sites a secure round can have: with two, each could subtract its own update from the sum. */
    public static final int MIN_SITES = 3;

    public SecureAggregationPlan {
        if (!(clip > 0) || Double.isInfinite(clip)) {
            throw new IllegalArgumentException("secure-aggregation clipping bound must be positive and finite, got "
                    + clip);
        }
        if (stageTimeout.isNegative() || stageTimeout.isZero()) {
            throw new IllegalArgumentException("secure-aggregation stage timeout must be positive, got "
                    + stageTimeout);
        }
    }

    /** As this coordinator's configuration says. */
    public static SecureAggregationPlan configured(FederationSettings.SecureAggregation settings) {
        return new SecureAggregationPlan(settings.enabled(), settings.clip(), settings.stageTimeout());
    }

    public static SecureAggregationPlan off() {
        return new SecureAggregationPlan(false, 1.0, Duration.ofMinutes(1));
    }

    public static SecureAggregationPlan on(double clip) {
        return new SecureAggregationPlan(true, clip, Duration.ofMinutes(1));
    }
}
