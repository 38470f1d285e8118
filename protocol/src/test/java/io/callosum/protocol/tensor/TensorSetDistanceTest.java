package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorSetDistanceTest {
    private static TensorSet set(float... imaging) {
        return TensorSet.of(List.of(
                new NamedTensor("imaging/w", Modality.IMAGING, NpyArray.ofFloats(Shape.of(imaging.length), imaging)),
                new NamedTensor("omics/b", Modality.OMICS, NpyArray.ofFloats(Shape.of(1), 2f))));
    }

    @Test
    void isTheEuclideanNormOfTheDifferenceOverAllTensors() {
        assertEquals(5.0, set(0f, 0f).l2Distance(set(3f, 4f)), 1e-12);
        assertEquals(0.0, set(1f, 2f).l2Distance(set(1f, 2f)));
    }

    @Test
    void refusesSetsThatDoNotLineUpNamingTheTensor() {
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> set(1f, 2f).l2Distance(set(1f, 2f, 3f)));
        assertTrue(shape.getMessage().contains("'imaging/w' has shape (2,) here and (3,)"), shape.getMessage());
        TensorSet imagingOnly = set(1f, 2f).select(Set.of(Modality.IMAGING));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> set(1f, 2f).l2Distance(imagingOnly));
        assertTrue(missing.getMessage().contains("'omics/b' is missing"), missing.getMessage());
    }
}
