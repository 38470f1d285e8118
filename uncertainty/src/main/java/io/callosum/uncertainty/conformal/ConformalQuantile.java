package io.callosum.uncertainty.conformal;

import io.callosum.uncertainty.stats.Checks;
import java.util.Arrays;

/** The finite-sample conformal quantile: the ⌈(n+1)(1−α)⌉-th smallest of n calibration scores. */
public final class ConformalQuantile {
    /** Keeps (n+1)(1−α) that is an integer up to rounding, such as 100 · 0.9, from being rounded up past it. */
    private static final double ROUNDING_SLACK = 1e-9;

    private ConformalQuantile() {
    }

    /**
     * The 1-based rank k = ⌈(n+1)(1−α)⌉ of the calibration score that becomes the threshold. When k &gt; n, which
     * happens once n &lt; 1/α − 1, no finite threshold is valid and callers use +∞ (the set of all labels).
     */
    public static int rank(long n, double alpha) {
        Checks.alpha(alpha);
        if (n < 0) {
            throw new IllegalArgumentException("calibration size must not be negative, got " + n);
        }
        return (int) Math.ceil((n + 1) * (1 - alpha) - ROUNDING_SLACK);
    }

    /** The conformal threshold of {@code scores} at miscoverage α: the rank-k score, or +∞ when k &gt; n. */
    public static double of(double[] scores, double alpha) {
        Checks.alpha(alpha);
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException("calibration scores are empty");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("calibration score " + i + " is NaN");
            }
        }
        int k = rank(scores.length, alpha);
        if (k > scores.length) {
            return Double.POSITIVE_INFINITY;
        }
        double[] sorted = scores.clone();
        Arrays.sort(sorted);
        return sorted[k - 1];
    }
}
