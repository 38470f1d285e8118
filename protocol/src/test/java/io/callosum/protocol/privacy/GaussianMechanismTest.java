package io.callosum.protocol.privacy;

import io.callosum.protocol.secagg.FixedPointQuantizer;
import org.junit.jupiter.api.Test;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianMechanismTest {
    private static final int SAMPLES = 200_000;

    @Test
    void longUpdatesAreScaledOntoTheBallAndShortOnesLeftAlone() {
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(1, 0, 8, 1e-5));
        float[] update = {3, 4};
        PrivateUpdate clipped = mechanism.clip(update);
        assertArrayEquals(new float[] {0.6f, 0.8f}, clipped.values(), 1e-7f);
        assertEquals(5, clipped.originalNorm(), 1e-12);
        assertTrue(clipped.clipped());
        assertArrayEquals(new float[] {3, 4}, update, "the caller's update is not changed");

        PrivateUpdate inside = mechanism.clip(new float[] {0.3f, -0.4f});
        assertArrayEquals(new float[] {0.3f, -0.4f}, inside.values());
        assertFalse(inside.clipped());
        assertEquals(0.5, inside.originalNorm(), 1e-7);
    }

    @Test
    void normsBeyondFloatRangeAreComputedInDouble() {
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(2, 0, 8, 1e-5));
        float[] huge = {1.8e38f, 2.4e38f};
        PrivateUpdate clipped = mechanism.clip(huge);
        assertEquals(3e38, clipped.originalNorm(), 1e32);
        assertArrayEquals(new float[] {1.2f, 1.6f}, clipped.values(), 1e-6f);
    }

    @Test
    void nonFiniteValuesAreRefusedWithTheirIndex() {
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(1, 1, 8, 1e-5));
        String message = assertThrows(IllegalArgumentException.class,
                () -> mechanism.privatize(new float[] {0, 1, Float.NaN}, 3)).getMessage();
        assertTrue(message.contains("update value 2 is NaN"), message);
        message = assertThrows(IllegalArgumentException.class,
                () -> mechanism.clip(new float[] {Float.NEGATIVE_INFINITY})).getMessage();
        assertTrue(message.contains("update value 0 is -Infinity"), message);
    }

    @Test
    void eachSiteAddsGaussianNoiseWithAnNthOfTheVariance() {
        int sites = 4;
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(2, 1.5, 8, 1e-5), seeded(1));
        PrivateUpdate noised = mechanism.privatize(new float[SAMPLES], sites);
        double std = 1.5 * 2 / Math.sqrt(sites);
        assertEquals(std, noised.noiseStd(), 1e-15);

        float[] values = noised.values();
        double mean = 0;
        double squares = 0;
        int withinOne = 0;
        int beyondThree = 0;
        double adjacent = 0;
        for (int i = 0; i < SAMPLES; i++) {
            double x = values[i] / std;
            mean += x;
            squares += x * x;
            withinOne += Math.abs(x) < 1 ? 1 : 0;
            beyondThree += Math.abs(x) > 3 ? 1 : 0;
            if (i > 0) {
                adjacent += x * values[i - 1] / std;
            }
        }
        // Tolerances are five or more standard errors of each estimate over 200 000 samples.
        assertEquals(0, mean / SAMPLES, 0.012);
        assertEquals(1, Math.sqrt(squares / SAMPLES), 0.01);
        assertEquals(0.682689, (double) withinOne / SAMPLES, 0.006);
        assertEquals(0.0026998, (double) beyondThree / SAMPLES, 0.0007);
        assertEquals(0, adjacent / SAMPLES, 0.012, "neighbouring coordinates are uncorrelated");
    }

    @Test
    void theSumOfAllSitesNoiseHasStdZTimesC() {
        int sites = 5;
        PrivacySettings settings = new PrivacySettings(0.5, 2, 8, 1e-5);
        double[] sum = new double[SAMPLES];
        for (int site = 0; site < sites; site++) {
            float[] noised = new GaussianMechanism(settings, seeded(100 + site)).privatize(new float[SAMPLES], sites)
                    .values();
            for (int i = 0; i < SAMPLES; i++) {
                sum[i] += noised[i];
            }
        }
        double squares = 0;
        for (double value : sum) {
            squares += value * value;
        }
        assertEquals(2 * 0.5, Math.sqrt(squares / SAMPLES), 0.01);
    }

    @Test
    void withoutNoiseAnUpdateIsOnlyClipped() {
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(1, 0, 8, 1e-5));
        float[] update = {6, 8, 0};
        PrivateUpdate privatized = mechanism.privatize(update, 3);
        assertArrayEquals(mechanism.clip(update).values(), privatized.values());
        assertEquals(0, privatized.noiseStd());
        assertEquals(1, mechanism.coordinateBound(3), 1e-5);
    }

    @Test
    void noisyUpdatesSumExactlyThroughTheSecAggQuantizerAtTheCoordinateBound() {
        int sites = 3;
        int length = 20_000;
        GaussianMechanism mechanism = new GaussianMechanism(new PrivacySettings(1, 1, 8, 1e-5), seeded(7));
        Random data = new Random(11);
        float[][] noised = new float[sites][];
        for (int site = 0; site < sites; site++) {
            float[] update = new float[length];
            for (int i = 0; i < length; i++) {
                update[i] = (float) data.nextGaussian() * 0.05f;
            }
            noised[site] = mechanism.privatize(update, sites).values();
        }
        double bound = mechanism.coordinateBound(sites);
        for (float[] values : noised) {
            for (float value : values) {
                assertTrue(Math.abs(value) <= bound, value + " exceeds the bound " + bound);
            }
        }
        assertTrue(maxSumError(noised, new FixedPointQuantizer(bound, sites))
                <= new FixedPointQuantizer(bound, sites).sumErrorBound(sites) + 1e-6);
        assertTrue(maxSumError(noised, new FixedPointQuantizer(1, sites)) > 0.5,
                "a quantizer bounded at C saturates noisy values and no longer sums them");
    }

    private static double maxSumError(float[][] updates, FixedPointQuantizer quantizer) {
        int length = updates[0].length;
        int[] quantizedSum = new int[length];
        double[] exactSum = new double[length];
        for (float[] update : updates) {
            int[] quantized = quantizer.quantize(update);
            for (int i = 0; i < length; i++) {
                quantizedSum[i] += quantized[i];
                exactSum[i] += update[i];
            }
        }
        float[] dequantized = quantizer.dequantizeSum(quantizedSum);
        double worst = 0;
        for (int i = 0; i < length; i++) {
            worst = Math.max(worst, Math.abs(dequantized[i] - exactSum[i]));
        }
        return worst;
    }

    /** A reproducible secure generator, so that the statistical checks never flake. */
    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
