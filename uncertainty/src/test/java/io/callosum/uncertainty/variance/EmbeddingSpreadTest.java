package io.callosum.uncertainty.variance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EmbeddingSpreadTest {

    @Test
    void spreadOfAFewDrawsByHand() {
        EmbeddingSpread spread = EmbeddingSpread.of(new float[][] {{1, 2}, {3, 2}, {5, 2}});
        assertArrayEquals(new double[] {3, 2}, spread.mean(), 1e-12);
        assertArrayEquals(new double[] {4, 0}, spread.variance(), 1e-12);
        assertEquals(4, spread.trace(), 1e-12);
        assertEquals(2, spread.meanVariance(), 1e-12);
        assertEquals(3, spread.draws());
    }

    @Test
    void ensembleSpreadIsPerInput() {
        float[][] memberA = {{0, 0}, {1, 1}};
        float[][] memberB = {{0, 0}, {3, -1}};
        List<EmbeddingSpread> spreads = EmbeddingSpread.perInput(List.of(memberA, memberB));
        assertEquals(0, spreads.get(0).trace(), 1e-12, "members agree on input 0");
        assertEquals(2 + 2, spreads.get(1).trace(), 1e-12);
    }

    @Test
    void mcDropoutRecoversTheNoiseVarianceOfAStochasticPass() {
        Random random = new Random(51);
        double[] sigma = {0.1, 0.5, 1.0};
        EmbeddingSpread spread = McDropout.sample(() -> {
            float[] embedding = new float[sigma.length];
            for (int j = 0; j < sigma.length; j++) {
                embedding[j] = (float) (2 + sigma[j] * random.nextGaussian());
            }
            return embedding;
        }, 4000);
        for (int j = 0; j < sigma.length; j++) {
            double expected = sigma[j] * sigma[j];
            assertEquals(expected, spread.variance()[j], 0.1 * expected, "dimension " + j);
        }
    }

    @Test
    void mcDropoutOverABatchRanksTheNoisierInputHigher() {
        Random random = new Random(52);
        List<EmbeddingSpread> spreads = McDropout.sampleBatch(() -> new float[][] {
                {(float) (0.05 * random.nextGaussian()), (float) (0.05 * random.nextGaussian())},
                {(float) (0.8 * random.nextGaussian()), (float) (0.8 * random.nextGaussian())}}, 200);
        assertTrue(spreads.get(1).trace() > 10 * spreads.get(0).trace(),
                spreads.get(0).trace() + " vs " + spreads.get(1).trace());
    }

    @Test
    void refusesTooFewDrawsMismatchedShapesAndNaN() {
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingSpread.of(new float[][] {{1, 2}}));
        assertTrue(one.getMessage().contains("at least 2 embedding draws"), one.getMessage());
        assertThrows(IllegalArgumentException.class, () -> McDropout.sample(() -> new float[] {1}, 1));
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingSpread.perInput(List.of(new float[][] {{1, 2}}, new float[][] {{1, 2, 3}})));
        assertTrue(shape.getMessage().contains("embedding draw 1 is 1 x 3, draw 0 is 1 x 2"), shape.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> EmbeddingSpread.of(new float[][] {{1, 2}, {Float.NaN, 2}}));
        assertTrue(nan.getMessage().contains("row 1 entry 0 is NaN"), nan.getMessage());
    }
}
