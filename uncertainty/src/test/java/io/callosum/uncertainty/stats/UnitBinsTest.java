package io.callosum.uncertainty.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitBinsTest {

    @Test
    void binsAreLeftOpenRightClosedAndTheUpperEdgeNeverRoundsDown() {
        UnitBins bins = new UnitBins(10);
        assertEquals(0, bins.bin(0));
        assertEquals(0, bins.bin(0.1));
        assertEquals(6, bins.bin(0.7));
        assertEquals(7, bins.bin(Math.nextUp(0.7)));
        assertEquals(9, bins.bin(1));
        Random random = new Random(7);
        for (int count : new int[] {3, 7, 50, 1000}) {
            UnitBins grid = new UnitBins(count);
            for (int i = 0; i < 10_000; i++) {
                double value = random.nextInt(3) == 0 ? (double) random.nextInt(count + 1) / count : random.nextDouble();
                int bin = grid.bin(value);
                assertTrue(grid.upperEdge(bin) >= value && (bin == 0 || grid.lowerEdge(bin) < value),
                        value + " placed in bin " + bin + " of " + count);
            }
        }
    }

    @Test
    void refusesValuesOutsideTheUnitIntervalAndNoBins() {
        UnitBins bins = new UnitBins(4);
        assertThrows(IllegalArgumentException.class, () -> bins.bin(-0.01));
        assertThrows(IllegalArgumentException.class, () -> bins.bin(1.01));
        assertThrows(IllegalArgumentException.class, () -> bins.bin(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> new UnitBins(0));
    }
}
