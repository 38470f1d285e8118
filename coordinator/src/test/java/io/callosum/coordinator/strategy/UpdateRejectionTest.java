package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;

import static io.callosum.coordinator.strategy.TestTensors.f4;
import static io.callosum.coordinator.strategy.TestTensors.f8;
import static io.callosum.coordinator.strategy.TestTensors.set;
import static io.callosum.coordinator.strategy.TestTensors.tensor;
import static io.callosum.coordinator.strategy.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Every rejection leaves the round as if the bad update never arrived: a later good update alone decides the mean. */
class UpdateRejectionTest {
    private static final TensorSet GLOBAL = set(
            f4("imaging/w", Modality.IMAGING, 0, 0, 0, 0),
            f8("eeg/w", Modality.EEG, 0, 0));
    private static final TensorSet GOOD = set(
            f4("imaging/w", Modality.IMAGING, 1, 2, 3, 4),
            f8("eeg/w", Modality.EEG, 5, 6));

    private final RoundAggregation round = Strategies.create(StrategySettings.defaults("fedavg"))
            .begin(GLOBAL, ServerOptimizerState.none());

    @Test
    void tensorNotInTheGlobalModel() {
        assertRejected(set(f4("imaging/w", Modality.IMAGING, 9, 9, 9, 9), f4("imaging/extra", Modality.IMAGING, 1)), 5,
                "update from site 'bad' rejected: tensor 'imaging/extra' is not in the global model");
    }

    @Test
    void dtypeDifferentFromTheGlobalTensor() {
        assertRejected(set(f8("imaging/w", Modality.IMAGING, 9, 9, 9, 9)), 5,
                "update from site 'bad' rejected: tensor 'imaging/w' has dtype f8 but the global model's is f4");
    }

    @Test
    void shapeDifferentFromTheGlobalTensorNamesBothShapes() {
        assertRejected(set(tensor("imaging/w", Modality.IMAGING, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN,
                        Shape.of(2, 2), 9, 9, 9, 9)), 5,
                "update from site 'bad' rejected: tensor 'imaging/w' has shape (2, 2) but the global model's is (4,)");
    }

    @Test
    void modalityDifferentFromTheGlobalTensor() {
        assertRejected(set(f8("eeg/w", Modality.OMICS, 9, 9)), 5,
                "update from site 'bad' rejected: tensor 'eeg/w' is tagged omics but the global model's is eeg");
    }

    @Test
    void nanNamesTheTensorAndTheFirstBadFlatIndexEvenAfterAValidTensor() {
        assertRejected(set(f4("imaging/w", Modality.IMAGING, 9, 9, 9, 9),
                        f8("eeg/w", Modality.EEG, 1, Double.NaN)), 5,
                "update from site 'bad' rejected: tensor 'eeg/w' holds NaN at flat index 1");
    }

    @Test
    void infinityNamesTheTensorAndTheFirstBadFlatIndex() {
        assertRejected(set(f4("imaging/w", Modality.IMAGING, 9, Float.NEGATIVE_INFINITY, 9, Float.NaN)), 5,
                "update from site 'bad' rejected: tensor 'imaging/w' holds -Infinity at flat index 1");
    }

    @Test
    void bigEndianInfinity() {
        assertRejected(set(tensor("eeg/w", Modality.EEG, DType.FLOAT64, ByteOrder.BIG_ENDIAN, Shape.of(2), 1,
                        Double.POSITIVE_INFINITY)), 5,
                "update from site 'bad' rejected: tensor 'eeg/w' holds Infinity at flat index 1");
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -3})
    void examplesNotPositive(long examples) {
        assertRejected(set(f4("imaging/w", Modality.IMAGING, 9, 9, 9, 9)), examples,
                "update from site 'bad' rejected: examples must be > 0, got " + examples);
    }

    @Test
    void emptyUpdate() {
        assertRejected(set(), 5, "update from site 'bad' rejected: the update holds no tensors");
    }

    @Test
    void theSameSiteTwiceInOneRound() {
        round.add("twice", GOOD, 2);
        UpdateRejectedException error = assertThrows(UpdateRejectedException.class,
                () -> round.add("twice", set(f4("imaging/w", Modality.IMAGING, 9, 9, 9, 9)), 100));
        assertEquals("update from site 'twice' rejected: this site already contributed to this round",
                error.getMessage());
        assertEquals("twice", error.site());

        AggregationResult result = round.finish();
        assertArrayEquals(new double[] {1, 2, 3, 4}, values(result.model(), "imaging/w"));
        assertEquals(Set.of("twice"), round.contributors());
    }

    private void assertRejected(TensorSet bad, long examples, String message) {
        UpdateRejectedException error = assertThrows(UpdateRejectedException.class,
                () -> round.add("bad", bad, examples));
        assertEquals(message, error.getMessage());
        assertEquals("bad", error.site());
        assertEquals(Set.of(), round.contributors());

        round.add("good", GOOD, 3);
        AggregationResult result = round.finish();

        assertArrayEquals(new double[] {1, 2, 3, 4}, values(result.model(), "imaging/w"));
        assertArrayEquals(new double[] {5, 6}, values(result.model(), "eeg/w"));
        assertEquals(Map.of("imaging/w", 1, "eeg/w", 1), result.sitesPerTensor());
        assertEquals(Set.of("good"), round.contributors());
    }
}
