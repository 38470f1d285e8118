package io.callosum.protocol.privacy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * One site's part of the distributed Gaussian mechanism of DP-FedAvg (McMahan et al. 2018): clip the update to L2
 * norm {@code C}, then add {@code N(0, (z·C)² / n)} to every coordinate, so that the sum of the {@code n} selected
 * sites' updates, the only thing secure aggregation releases, carries {@code N(0, (z·C)²)} noise, as if one trusted
 * party had added it to the sum. No site's noise share alone protects its update; the sum's noise does.
 *
 * <p>Noise is added before quantization. The fixed-point quantizer of secure aggregation saturates values outside
 * its bound, and a saturated noisy value is no longer the Gaussian mechanism's output, so its bound must be at least
 * {@link #coordinateBound(int)}, which no clipped and noised coordinate can exceed.
 */
public final class GaussianMechanism {
    /** Float rounding of the scaled and the noised values, relative to the bound. */
    private static final double ROUNDING_SLACK = 1e-6;

    private final PrivacySettings settings;
    private final GaussianNoise noise;

    /** Noise from the JDK's NIST SP 800-90A generator ({@code DRBG}), seeded by the operating system. */
    public GaussianMechanism(PrivacySettings settings) {
        this(settings, defaultRandom());
    }

    public GaussianMechanism(PrivacySettings settings, SecureRandom random) {
        this.settings = settings;
        this.noise = new GaussianNoise(random);
    }

    public PrivacySettings settings() {
        return settings;
    }

    /**
     * Scales the update by {@code min(1, C/‖x‖)}, the norm computed in double. NaN or infinite values are refused
     * with their index: they carry no usable update and would poison the sum.
     */
    public PrivateUpdate clip(float[] update) {
        double squares = 0;
        for (int i = 0; i < update.length; i++) {
            float value = update[i];
            if (!Float.isFinite(value)) {
                throw new IllegalArgumentException("update value " + i + " is " + value
                        + "; only finite updates can be clipped");
            }
            squares += (double) value * value;
        }
        double norm = Math.sqrt(squares);
        boolean clipped = norm > settings.clipNorm();
        float[] values = update.clone();
        if (clipped) {
            double scale = settings.clipNorm() / norm;
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (values[i] * scale);
            }
        }
        return new PrivateUpdate(values, norm, clipped, 0);
    }

    /** This site's noise standard deviation per coordinate when {@code sites} updates are summed: {@code z·C/sqrt(n)}. */
    public double noiseStd(int sites) {
        if (sites < 1) {
            throw new IllegalArgumentException("number of sites must be positive, got " + sites);
        }
        return settings.noiseMultiplier() * settings.clipNorm() / Math.sqrt(sites);
    }

    /** Clips the update and adds this site's share of the noise for a sum of {@code sites} updates. */
    public PrivateUpdate privatize(float[] update, int sites) {
        double std = noiseStd(sites);
        PrivateUpdate clipped = clip(update);
        if (std > 0) {
            noise.addTo(clipped.values(), std);
        }
        return new PrivateUpdate(clipped.values(), clipped.originalNorm(), clipped.clipped(), std);
    }

    /**
     * The largest |value| {@link #privatize} can output for a sum of {@code sites} updates: {@code C} (a clipped
     * coordinate never exceeds the clipped norm) plus the noise sampler's largest deviation, with room for float
     * rounding. A quantizer bound at least this large never saturates.
     */
    public double coordinateBound(int sites) {
        return coordinateBound(settings.clipNorm(), settings.noiseMultiplier(), sites);
    }

    /** {@link #coordinateBound(int)} for clipping norm {@code C} and noise multiplier {@code z}: what a coordinator sizes the quantizer by. */
    public static double coordinateBound(double clipNorm, double noiseMultiplier, int sites) {
        if (sites < 1) {
            throw new IllegalArgumentException("number of sites must be positive, got " + sites);
        }
        double noiseStd = noiseMultiplier * clipNorm / Math.sqrt(sites);
        return (clipNorm + GaussianNoise.MAX_DEVIATIONS * noiseStd) * (1 + ROUNDING_SLACK);
    }

    private static SecureRandom defaultRandom() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's DRBG SecureRandom is unavailable", e);
        }
    }
}
