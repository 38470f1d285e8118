package io.callosum.encoders.jepa;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectSamplerTest {
    private static final int DRAWS = 30_000;

    /** A site with a skewed class mix: 60 of diagnosis 0, 20 each of 1 and 2. */
    private static int[] skewed() {
        int[] diagnoses = new int[100];
        for (int i = 60; i < 100; i++) {
            diagnoses[i] = i < 80 ? 1 : 2;
        }
        return diagnoses;
    }

    @Test
    void classBalancedBatchesGiveEveryDiagnosisTheSameShare() {
        int[] diagnoses = skewed();
        double[] shares = shares(SubjectSampler.of(diagnoses, BatchSampling.CLASS_BALANCED), diagnoses, 3, 1);
        for (int d = 0; d < 3; d++) {
            assertEquals(1 / 3.0, shares[d], 0.015, "diagnosis " + d);
        }
    }

    @Test
    void uniformBatchesKeepTheSitesMixAndItsRandomStream() {
        int[] diagnoses = skewed();
        SubjectSampler uniform = SubjectSampler.of(diagnoses, BatchSampling.UNIFORM);
        double[] shares = shares(uniform, diagnoses, 3, 1);
        assertEquals(0.6, shares[0], 0.015);
        assertEquals(0.2, shares[1], 0.015);

        Random sampled = new Random(5);
        Random plain = new Random(5);
        for (int i = 0; i < 100; i++) {
            assertEquals(plain.nextInt(diagnoses.length), uniform.next(sampled));
        }
    }

    /** Subjects without a recorded diagnosis keep their natural share; the labelled share is split evenly. */
    @Test
    void subjectsWithoutADiagnosisKeepTheirShare() {
        int[] diagnoses = new int[100];
        for (int i = 0; i < 50; i++) {
            diagnoses[i] = -1;
        }
        for (int i = 90; i < 100; i++) {
            diagnoses[i] = 1;
        }
        double[] shares = shares(SubjectSampler.of(diagnoses, BatchSampling.CLASS_BALANCED), diagnoses, 2, 1);
        assertEquals(0.5, shares[2], 0.015, "no diagnosis");
        assertEquals(0.25, shares[0], 0.015);
        assertEquals(0.25, shares[1], 0.015);
    }

    @Test
    void everySubjectOfAStratumIsDrawn() {
        int[] diagnoses = skewed();
        SubjectSampler balanced = SubjectSampler.of(diagnoses, BatchSampling.CLASS_BALANCED);
        boolean[] seen = new boolean[diagnoses.length];
        Random random = new Random(3);
        for (int i = 0; i < DRAWS; i++) {
            seen[balanced.next(random)] = true;
        }
        for (int i = 0; i < seen.length; i++) {
            assertTrue(seen[i], "subject " + i);
        }
    }

    @Test
    void anUnknownSamplingIsRefusedByName() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> BatchSampling.parse("stratified", "fit_ins config"));
        assertEquals("fit_ins config: batch sampling must be one of uniform, class-balanced, got 'stratified'",
                refusal.getMessage());
        assertEquals(BatchSampling.CLASS_BALANCED, BatchSampling.parse("class-balanced", "x"));
    }

    /** Shares of each diagnosis 0..classes-1 among the draws, and at index {@code classes} of the unlabelled. */
    private static double[] shares(SubjectSampler sampler, int[] diagnoses, int classes, long seed) {
        double[] shares = new double[classes + 1];
        Random random = new Random(seed);
        for (int i = 0; i < DRAWS; i++) {
            int diagnosis = diagnoses[sampler.next(random)];
            shares[diagnosis < 0 ? classes : diagnosis] += 1.0 / DRAWS;
        }
        return shares;
    }
}
