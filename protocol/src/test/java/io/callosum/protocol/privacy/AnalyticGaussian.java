package io.callosum.protocol.privacy;

/**
 * The exact (ε, δ) curve of one Gaussian mechanism (Balle and Wang 2018, "Improving the Gaussian mechanism for
 * differential privacy", Thm. 8), with sensitivity 1 and noise std {@code z}:
 * {@code δ(ε) = Φ(−εz + 1/(2z)) − e^ε Φ(−εz − 1/(2z))}, the reference the RDP bound must never undercut.
 */
final class AnalyticGaussian {
    private static final double SQRT_2 = Math.sqrt(2);

    private AnalyticGaussian() {
    }

    /** The smallest ε with {@code δ(ε) <= delta}, by bisection ({@code δ(ε)} falls as ε grows). */
    static double epsilon(double noiseMultiplier, double delta) {
        double low = 0;
        double high = 1;
        while (delta(high, noiseMultiplier) > delta) {
            high *= 2;
        }
        for (int step = 0; step < 200; step++) {
            double middle = (low + high) / 2;
            if (delta(middle, noiseMultiplier) > delta) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return high;
    }

    static double delta(double epsilon, double noiseMultiplier) {
        double z = noiseMultiplier;
        return phi(-epsilon * z + 1 / (2 * z)) - Math.exp(epsilon) * phi(-epsilon * z - 1 / (2 * z));
    }

    /** The standard normal distribution function, accurate to about 1e-12 relative in the tails used here. */
    static double phi(double x) {
        return 0.5 * erfc(-x / SQRT_2);
    }

    private static double erfc(double x) {
        if (x < 0) {
            return 2 - erfc(-x);
        }
        if (x < 2.5) {
            // Maclaurin series of erf: its largest term near x = 2.5 is about 80, so cancellation costs ~1e-14.
            double term = x;
            double sum = x;
            for (int n = 1; Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= -x * x / n;
                sum += term / (2 * n + 1);
            }
            return 1 - 2 / Math.sqrt(Math.PI) * sum;
        }
        // Laplace's continued fraction erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))),
        // evaluated from the bottom; 200 levels are far more than x >= 2.5 needs.
        double fraction = x;
        for (int n = 200; n >= 1; n--) {
            fraction = x + (n / 2.0) / fraction;
        }
        return Math.exp(-x * x) / (Math.sqrt(Math.PI) * fraction);
    }
}
