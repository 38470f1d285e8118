package io.callosum.protocol.privacy;

/**
 * What one charged release cost and where the site's budget stands after it.
 *
 * @param noiseMultiplier the effective noise multiplier charged ({@code z_eff})
 * @param roundEpsilon    ε of this release alone, at {@code delta}
 * @param totalEpsilon    ε of every release the ledger holds, this one included, at {@code delta}
 */
public record PrivacySpend(String federation, int round, int attempt, double noiseMultiplier, double roundEpsilon,
                           double totalEpsilon, double delta, double epsilonBudget) {

    public double remainingEpsilon() {
        return Math.max(0, epsilonBudget - totalEpsilon);
    }
}
