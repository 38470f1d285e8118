package io.callosum.protocol.privacy;

import java.util.Arrays;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Rényi differential privacy (Mironov 2017) of a sequence of Gaussian mechanisms, converted to (ε, δ).
 *
 * <p>Every selected site's update is in every round (no subsampling), so each round is a Gaussian mechanism with
 * sensitivity {@code C} and noise std {@code z_eff·C}, whose RDP at order α is exactly {@code α / (2 z_eff²)}; RDP
 * composes by adding, order by order. The curve is kept on a grid of orders rather than as the single slope
 * {@code Σ 1/(2 z²)} so that mechanisms whose RDP is not linear in α (a subsampled Gaussian, should sites ever be
 * sampled) can be composed the same way.
 *
 * <p>(ε, δ) comes from the conversion of Balle et al. (2020, "Hypothesis testing interpretations and Rényi
 * differential privacy", Thm. 21; also Canonne, Kamath and Steinke 2020):
 * {@code ε = rdp(α) + log((α−1)/α) − (log δ + log α)/(α−1)}, minimized over the grid. Any order gives a valid bound,
 * so the grid only decides how tight it is: it runs from 1.01, where very large spends are tightest, to 16384, where
 * very large noise multipliers are (for one round the optimum lies near {@code 1 + sqrt(2 z² ln(1/δ))}).
 */
public final class RdpAccountant {
    private static final double[] ORDERS = Stream.of(
                    IntStream.rangeClosed(1, 4).mapToDouble(i -> 1 + i / 100.0),
                    IntStream.rangeClosed(1, 100).mapToDouble(i -> 1 + i / 20.0),
                    IntStream.rangeClosed(7, 64).asDoubleStream(),
                    DoubleStream.of(80, 96, 128, 160, 192, 256, 384, 512, 768, 1024, 2048, 4096, 8192, 16384))
            .flatMapToDouble(orders -> orders).toArray();

    private static final RdpAccountant EMPTY = new RdpAccountant(new double[ORDERS.length]);

    private final double[] rdp;

    private RdpAccountant(double[] rdp) {
        this.rdp = rdp;
    }

    /** Nothing released yet: ε = 0. */
    public static RdpAccountant empty() {
        return EMPTY;
    }

    /** The orders α of the grid, increasing. */
    public static double[] orders() {
        return ORDERS.clone();
    }

    /** The RDP of one Gaussian mechanism with noise multiplier {@code z} (noise std over sensitivity) at order α. */
    public static double gaussianRdp(double order, double noiseMultiplier) {
        return order / (2 * noiseMultiplier * noiseMultiplier);
    }

    /**
     * zCDP's conversion (Bun and Steinke 2016) for {@code rounds} Gaussian mechanisms: ρ = rounds/(2z²),
     * ε = ρ + 2 sqrt(ρ ln(1/δ)). Looser than {@link #epsilon(double)}; kept as a simple cross-check.
     */
    public static double zcdpEpsilon(double noiseMultiplier, int rounds, double delta) {
        requireNoiseMultiplier(noiseMultiplier);
        requireDelta(delta);
        requireRounds(rounds);
        double rho = rounds / (2 * noiseMultiplier * noiseMultiplier);
        return rho + 2 * Math.sqrt(rho * Math.log(1 / delta));
    }

    /** This sequence followed by one Gaussian mechanism with noise multiplier {@code z} (> 0). */
    public RdpAccountant plusGaussian(double noiseMultiplier) {
        return plusGaussian(noiseMultiplier, 1);
    }

    /** This sequence followed by {@code rounds} Gaussian mechanisms with noise multiplier {@code z} (> 0). */
    public RdpAccountant plusGaussian(double noiseMultiplier, int rounds) {
        requireNoiseMultiplier(noiseMultiplier);
        requireRounds(rounds);
        double[] composed = rdp.clone();
        for (int i = 0; i < ORDERS.length; i++) {
            composed[i] += rounds * gaussianRdp(ORDERS[i], noiseMultiplier);
        }
        return new RdpAccountant(composed);
    }

    /** The RDP curve on {@link #orders()}. */
    public double[] rdp() {
        return rdp.clone();
    }

    /**
     * The smallest ε over the grid at this δ: 0 when nothing was released (the conversion's limit as α grows), and
     * never negative (the conversion goes below 0 for tiny spends at large δ).
     */
    public EpsilonDelta epsilon(double delta) {
        requireDelta(delta);
        if (Arrays.stream(rdp).allMatch(value -> value == 0)) {
            return new EpsilonDelta(0, delta, Double.POSITIVE_INFINITY);
        }
        double best = Double.POSITIVE_INFINITY;
        double bestOrder = ORDERS[0];
        for (int i = 0; i < ORDERS.length; i++) {
            double order = ORDERS[i];
            double epsilon = rdp[i] + Math.log((order - 1) / order) - (Math.log(delta) + Math.log(order)) / (order - 1);
            if (epsilon < best) {
                best = epsilon;
                bestOrder = order;
            }
        }
        return new EpsilonDelta(Math.max(0, best), delta, bestOrder);
    }

    private static void requireNoiseMultiplier(double noiseMultiplier) {
        if (!(noiseMultiplier > 0) || Double.isInfinite(noiseMultiplier)) {
            throw new IllegalArgumentException("noise multiplier must be positive and finite (a release without noise"
                    + " has unbounded ε), got " + noiseMultiplier);
        }
    }

    private static void requireRounds(int rounds) {
        if (rounds < 0) {
            throw new IllegalArgumentException("number of rounds must be >= 0, got " + rounds);
        }
    }

    private static void requireDelta(double delta) {
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("delta must lie strictly between 0 and 1, got " + delta);
        }
    }
}
