package io.callosum.protocol.privacy;

/**
 * A site's differential-privacy settings: its own, never taken from the coordinator, since a site that let the
 * coordinator choose its noise would have no guarantee.
 *
 * @param clipNorm        {@code C}: every update is scaled into the L2 ball of this radius, which bounds one site's
 *                        influence on the aggregate (the mechanism's sensitivity)
 * @param noiseMultiplier {@code z}: the Gaussian noise in the sum of all selected sites' updates has standard deviation
 *                        {@code z·C} per coordinate; 0 turns differential privacy off (updates are clipped only)
 * @param epsilonBudget   the site's total ε over every round of every federation it takes part in
 * @param delta           the δ at which ε is reported and the budget is enforced
 */
public record PrivacySettings(double clipNorm, double noiseMultiplier, double epsilonBudget, double delta) {

    public PrivacySettings {
        if (!(clipNorm > 0) || Double.isInfinite(clipNorm)) {
            throw new IllegalArgumentException("clip norm C must be positive and finite, got " + clipNorm);
        }
        if (!(noiseMultiplier >= 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier z must be finite and >= 0 (0 turns privacy off), got "
                    + noiseMultiplier);
        }
        if (!(epsilonBudget > 0) || Double.isInfinite(epsilonBudget)) {
            throw new IllegalArgumentException("epsilon budget must be positive and finite, got " + epsilonBudget);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must lie strictly between 0 and 1, got " + delta);
        }
    }

    /** Whether noise is added (and rounds must be charged to the ledger). */
    public boolean enabled() {
        return noiseMultiplier > 0;
    }

    /**
     * The noise multiplier the accountant must charge for a round of {@code sites} selected sites of which at least
     * {@code threshold} must survive for it to complete: {@code z·sqrt(t/n)}. Each site adds a {@code 1/n} share of
     * the noise variance, so {@code m} survivors' sum carries std {@code z·C·sqrt(m/n)}, smallest when only {@code t}
     * survive.
     */
    public double effectiveNoiseMultiplier(int sites, int threshold) {
        return effectiveNoiseMultiplier(noiseMultiplier, sites, threshold);
    }

    /** {@link #effectiveNoiseMultiplier(int, int)} for noise multiplier {@code z}. */
    public static double effectiveNoiseMultiplier(double noiseMultiplier, int sites, int threshold) {
        if (sites < 1) {
            throw new IllegalArgumentException("number of sites must be positive, got " + sites);
        }
        if (threshold < 1 || threshold > sites) {
            throw new IllegalArgumentException("survivor threshold must be in [1, " + sites + "], got " + threshold);
        }
        return noiseMultiplier * Math.sqrt((double) threshold / sites);
    }
}
