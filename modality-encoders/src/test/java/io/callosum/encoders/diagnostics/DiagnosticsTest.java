package io.callosum.encoders.diagnostics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosticsTest {

    @Test
    void jacobiFindsKnownEigenvalues() {
        double[] eigenvalues = EffectiveRank.symmetricEigenvalues(new double[][] {{2, 1, 0}, {1, 2, 0}, {0, 0, 5}});
        Arrays.sort(eigenvalues);
        assertArrayEquals(new double[] {1, 3, 5}, eigenvalues, 1e-9);
    }

    @Test
    void effectiveRankIsHighForIsotropicAndOneForALineOrAConstantWithNoise() {
        Random random = new Random(2);
        float[][] isotropic = new float[2000][16];
        float[][] line = new float[2000][16];
        float[][] collapsed = new float[2000][16];
        for (int i = 0; i < isotropic.length; i++) {
            float along = (float) random.nextGaussian();
            for (int j = 0; j < 16; j++) {
                isotropic[i][j] = (float) random.nextGaussian();
                line[i][j] = along * (j + 1);
                collapsed[i][j] = 1 + 0.001f * (float) random.nextGaussian();
            }
        }
        assertTrue(EffectiveRank.of(isotropic) > 15, "isotropic " + EffectiveRank.of(isotropic));
        assertEquals(1.0, EffectiveRank.of(line), 0.01);
        assertTrue(EffectiveRank.of(collapsed) < 1.1, "one vector plus noise " + EffectiveRank.of(collapsed));
    }

    @Test
    void probeSeparatesSeparableClassesAndNotNoise() {
        Random random = new Random(4);
        int n = 300;
        float[][] x = new float[n][5];
        int[] y = new int[n];
        int[] noise = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            noise[i] = random.nextInt(3);
            for (int j = 0; j < 5; j++) {
                x[i][j] = (float) random.nextGaussian() + (j == y[i] ? 3 : 0);
            }
        }
        LinearProbe probe = new LinearProbe(1e-3);

        assertTrue(probe.accuracy(ProbeSplit.stratified(y, 0.3, 1), x, y) > 0.9);
        assertTrue(probe.accuracy(ProbeSplit.stratified(noise, 0.3, 1), x, noise) < 0.55);
    }

    @Test
    void splitIsStratifiedAndDisjoint() {
        int[] labels = new int[100];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 70 ? 0 : i < 90 ? 1 : 2;
        }
        ProbeSplit split = ProbeSplit.stratified(labels, 0.3, 9);

        assertEquals(100, split.train().length + split.test().length);
        assertEquals(3, Arrays.stream(split.test()).map(i -> labels[i]).distinct().count());
        assertEquals(0, Arrays.stream(split.train()).filter(i -> Arrays.stream(split.test()).anyMatch(t -> t == i)).count());
    }
}
