package io.callosum.coordinator.federation;

/**
 * The distributed Gaussian mechanism a securely aggregated federation asks its sites to apply (DP-FedAvg): each
 * site clips its update to L2 norm {@code clipNorm} and adds its share of noise so that the sum carries
 * {@code noiseMultiplier × clipNorm} per coordinate; rounds then weight sites equally, as the mechanism's
 * sensitivity assumes. Each site charges the rounds to its own budget and refuses those beyond it. A noise
 * multiplier of 0 turns it off.
 */
public record DifferentialPrivacyPlan(double noiseMultiplier, double clipNorm, double delta) {
    public DifferentialPrivacyPlan {
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be finite and >= 0 (0 turns it off), got "
                    + noiseMultiplier);
        }
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("L2 clipping norm must be positive and finite, got " + clipNorm);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must lie strictly between 0 and 1, got " + delta);
        }
    }

    public static DifferentialPrivacyPlan off() {
        return new DifferentialPrivacyPlan(0, 1.0, 1e-5);
    }

    public boolean enabled() {
        return noiseMultiplier > 0;
    }
}
