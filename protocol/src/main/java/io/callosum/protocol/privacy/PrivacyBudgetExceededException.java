package io.callosum.protocol.privacy;

import java.util.Locale;

/**
 * A release was refused because it would take the site's total ε over its budget; nothing was recorded. Checked: a
 * site agent must decide what declining the round means (answer with a failure, leave the federation).
 */
public final class PrivacyBudgetExceededException extends Exception {
    private final double epsilonBudget;
    private final double epsilonSpent;
    private final double epsilonIfCharged;

    PrivacyBudgetExceededException(String site, String federation, int round, int attempt, double delta,
                                   double epsilonBudget, double epsilonSpent, double epsilonIfCharged) {
        super(String.format(Locale.ROOT, "site '%s' refuses round %d (attempt %d) of federation '%s': its privacy"
                        + " budget is ε = %.4f at δ = %.3g, %.4f is spent, and this release would bring it to %.4f",
                site, round, attempt, federation, epsilonBudget, delta, epsilonSpent, epsilonIfCharged));
        this.epsilonBudget = epsilonBudget;
        this.epsilonSpent = epsilonSpent;
        this.epsilonIfCharged = epsilonIfCharged;
    }

    public double epsilonBudget() {
        return epsilonBudget;
    }

    public double epsilonSpent() {
        return epsilonSpent;
    }

    public double epsilonIfCharged() {
        return epsilonIfCharged;
    }
}
