package io.callosum.uncertainty.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AurocTest {

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void matchesTheBruteForcePairwiseCountWithTies(long seed) {
        Random random = new Random(seed);
        double[] in = new double[300];
        double[] out = new double[200];
        for (int i = 0; i < in.length; i++) {
            in[i] = random.nextInt(6);
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = random.nextInt(6) + (seed % 2 == 0 ? 1 : 0);
        }
        double pairs = 0;
        for (double o : out) {
            for (double i : in) {
                pairs += o > i ? 1 : o == i ? 0.5 : 0;
            }
        }
        assertEquals(pairs / (in.length * out.length), Auroc.of(in, out), 1e-12);
    }

    @Test
    void separatesPerfectlyReversedAndNotAtAll() {
        assertEquals(1, Auroc.of(new double[] {0, 1, 2}, new double[] {3, 4}));
        assertEquals(0, Auroc.of(new double[] {3, 4}, new double[] {0, 1, 2}));
        assertEquals(0.5, Auroc.of(new double[] {7, 7, 7}, new double[] {7, 7}));
    }

    @Test
    void refusesEmptyAndNaNScores() {
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> Auroc.of(new double[0], new double[] {1}));
        assertTrue(empty.getMessage().contains("in-distribution scores are empty"), empty.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Auroc.of(new double[] {1}, new double[] {Double.NaN}));
        assertTrue(nan.getMessage().contains("out-of-distribution scores entry 0 is NaN"), nan.getMessage());
    }
}
