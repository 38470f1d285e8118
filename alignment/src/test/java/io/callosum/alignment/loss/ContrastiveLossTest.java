package io.callosum.alignment.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Both losses against values worked out by hand, and their energies. */
class ContrastiveLossTest {
    private static final float C = (float) Math.cos(0.5);
    private static final float S = (float) Math.sin(0.5);
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** Two subjects: a₀ = (1, 0), a₁ = (0, 1); b₀ = (cos .5, sin .5), b₁ = (0, 1). */
    private static double[][] cosines() {
        return new double[][] {{C, 0}, {S, 1}};
    }

    @Test
    void infoNceIsTheMeanCrossEntropyOfRowsAndColumnsAgainstTheDiagonal() {
        double scale = 5;
        double[][] cos = cosines();
        double rows = 0;
        double columns = 0;
        for (int i = 0; i < 2; i++) {
            rows += -scale * cos[i][i] + Math.log(Math.exp(scale * cos[i][0]) + Math.exp(scale * cos[i][1]));
            columns += -scale * cos[i][i] + Math.log(Math.exp(scale * cos[0][i]) + Math.exp(scale * cos[1][i]));
        }
        double expected = (rows + columns) / 4;
        assertEquals(expected, loss(ContrastiveLoss.INFONCE, (float) scale, 0f), 1e-5);
    }

    @Test
    void sigLipSumsOneLogisticLossPerPairingOverTheBatch() {
        double scale = 5;
        double bias = -2;
        double[][] cos = cosines();
        double sum = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double logit = scale * cos[i][j] + bias;
                double sign = i == j ? 1 : -1;
                sum += Math.log1p(Math.exp(-sign * logit));
            }
        }
        assertEquals(sum / 2, loss(ContrastiveLoss.SIGLIP, (float) scale, (float) bias), 1e-5);
    }

    @Test
    void alignedPairsCostLessThanShuffledOnes() {
        float[][] basis = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        float[][] shuffled = {basis[1], basis[2], basis[0]};
        for (ContrastiveLoss loss : ContrastiveLoss.values()) {
            NDArray scale = manager.create(new float[] {20f});
            NDArray bias = manager.create(new float[] {loss.initialBias()});
            float aligned = loss.of(manager.create(basis), manager.create(basis), scale, bias).getFloat();
            float wrong = loss.of(manager.create(basis), manager.create(shuffled), scale, bias).getFloat();
            assertTrue(aligned < 0.01 && wrong > 5, loss + ": aligned " + aligned + ", shuffled " + wrong);
        }
    }

    @Test
    void energyFallsAsInputsGetMoreAlikeAndStaysFiniteAtExtremeLogits() {
        assertEquals(-0.5 / 0.07, ContrastiveLoss.INFONCE.energy(0.5, 1 / 0.07, 0), 1e-12);
        for (ContrastiveLoss loss : ContrastiveLoss.values()) {
            assertTrue(loss.energy(0.9, 10, -5) < loss.energy(0.1, 10, -5), loss.toString());
            assertTrue(loss.energy(-0.9, 10, -5) > loss.energy(0.1, 10, -5), loss.toString());
        }
        assertEquals(Math.log(2), ContrastiveLoss.SIGLIP.energy(0, 10, 0), 1e-12);
        assertEquals(1000.0, ContrastiveLoss.SIGLIP.energy(-1, 990, -10), 1e-9);
        assertEquals(0.0, ContrastiveLoss.SIGLIP.energy(1, 990, 10), 1e-12);
    }

    private static double loss(ContrastiveLoss loss, float scale, float bias) {
        NDArray a = manager.create(new float[][] {{1, 0}, {0, 1}});
        NDArray b = manager.create(new float[][] {{C, S}, {0, 1}});
        return loss.of(a, b, manager.create(new float[] {scale}), manager.create(new float[] {bias})).getFloat();
    }
}
