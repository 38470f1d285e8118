package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyHeader;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static io.callosum.coordinator.strategy.TestTensors.constant;
import static io.callosum.coordinator.strategy.TestTensors.f4;
import static io.callosum.coordinator.strategy.TestTensors.f8;
import static io.callosum.coordinator.strategy.TestTensors.set;
import static io.callosum.coordinator.strategy.TestTensors.tensor;
import static io.callosum.coordinator.strategy.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FedAvgAggregationTest {
    private static final Strategy FEDAVG = Strategies.create(StrategySettings.defaults("fedavg"));

    @Test
    void weightedMeanEqualsHandComputedValues() {
        ServerOptimizerState state = ServerOptimizerState.none();
        RoundAggregation round = FEDAVG.begin(set(f4("imaging/w", Modality.IMAGING, 0, 0, 0, 0)), state);
        round.add("a", set(f4("imaging/w", Modality.IMAGING, 1, 2, 3, 4)), 1);
        round.add("b", set(f4("imaging/w", Modality.IMAGING, 5, 6, 7, 8)), 3);
        round.add("c", set(f4("imaging/w", Modality.IMAGING, 0.5, -1, 10, 2)), 4);

        AggregationResult result = round.finish();

        // (1·1 + 3·5 + 4·0.5)/8, (1·2 + 3·6 − 4·1)/8, (1·3 + 3·7 + 4·10)/8, (1·4 + 3·8 + 4·2)/8
        assertArrayEquals(new double[] {2.25, 2, 8, 4.5}, values(result.model(), "imaging/w"));
        assertEquals(Map.of("imaging/w", 3), result.sitesPerTensor());
        assertSame(state, result.state(), "FedAvg passes the optimizer state through");
    }

    @Test
    void weightedMeanAcrossChunkBoundariesMatchesAPlainLoop() {
        int count = 3 * ChunkReader.CHUNK + 17;
        long[] examples = {12, 7, 300};
        double[][] updates = new double[examples.length][count];
        SplittableRandom random = new SplittableRandom(42);
        for (double[] update : updates) {
            for (int i = 0; i < count; i++) {
                update[i] = (float) random.nextDouble(-3, 3);
            }
        }
        RoundAggregation round = FEDAVG.begin(set(f4("eeg/w", Modality.EEG, new double[count])),
                ServerOptimizerState.none());
        for (int s = 0; s < updates.length; s++) {
            round.add("site-" + s, set(f4("eeg/w", Modality.EEG, updates[s])), examples[s]);
        }

        double[] actual = values(round.finish().model(), "eeg/w");

        for (int i = 0; i < count; i++) {
            double sum = 0;
            double weight = 0;
            for (int s = 0; s < updates.length; s++) {
                sum += examples[s] * updates[s][i];
                weight += examples[s];
            }
            assertEquals((float) (sum / weight), actual[i], 0.0, "element " + i);
        }
    }

    @Test
    void eachTensorIsAveragedOverItsSendersAndUnsentTensorsAreCarriedOver() {
        TensorSet global = set(
                f4("imaging/w", Modality.IMAGING, 0, 0, 0),
                f4("eeg/w", Modality.EEG, 0, 0),
                f8("omics/w", Modality.OMICS, 0, 0),
                f4("shared/proj", Modality.SHARED, 9, -9));
        RoundAggregation round = FEDAVG.begin(global, ServerOptimizerState.none());
        round.add("imaging-and-omics", set(
                f4("imaging/w", Modality.IMAGING, 1, 1, 1),
                f8("omics/w", Modality.OMICS, 2, 4)), 2);
        round.add("eeg-and-omics", set(
                f4("eeg/w", Modality.EEG, 3, 5),
                f8("omics/w", Modality.OMICS, 6, 8)), 6);
        round.add("imaging-only", set(f4("imaging/w", Modality.IMAGING, 3, 5, 7)), 2);

        AggregationResult result = round.finish();

        assertArrayEquals(new double[] {2, 3, 4}, values(result.model(), "imaging/w"));
        assertArrayEquals(new double[] {3, 5}, values(result.model(), "eeg/w"));
        assertArrayEquals(new double[] {5, 7}, values(result.model(), "omics/w"));
        assertArrayEquals(new double[] {9, -9}, values(result.model(), "shared/proj"));
        assertEquals(Map.of("imaging/w", 2, "eeg/w", 1, "omics/w", 2, "shared/proj", 0), result.sitesPerTensor());
        assertEquals(global.manifest(), result.model().manifest(), "names, order, modalities, dtypes and shapes");
        assertEquals(Set.of("imaging-and-omics", "eeg-and-omics", "imaging-only"), round.contributors());
    }

    @Test
    void bigEndianFloat32AndFloat64AreReadAndTheResultIsCanonicalLittleEndian() {
        TensorSet global = set(
                tensor("imaging/w", Modality.IMAGING, DType.FLOAT32, ByteOrder.BIG_ENDIAN, Shape.of(2), 0, 0),
                tensor("eeg/w", Modality.EEG, DType.FLOAT64, ByteOrder.BIG_ENDIAN, Shape.of(3), 0, 0, 0),
                tensor("omics/w", Modality.OMICS, DType.FLOAT64, ByteOrder.BIG_ENDIAN, Shape.of(1), 0.1));
        RoundAggregation round = FEDAVG.begin(global, ServerOptimizerState.none());
        round.add("big-endian", set(
                tensor("imaging/w", Modality.IMAGING, DType.FLOAT32, ByteOrder.BIG_ENDIAN, Shape.of(2), 1.5, -2),
                tensor("eeg/w", Modality.EEG, DType.FLOAT64, ByteOrder.BIG_ENDIAN, Shape.of(3), 0.1, 0.2, 0.3)), 1);
        round.add("little-endian", set(
                tensor("imaging/w", Modality.IMAGING, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, Shape.of(2), 2.5, 4),
                tensor("eeg/w", Modality.EEG, DType.FLOAT64, ByteOrder.LITTLE_ENDIAN, Shape.of(3), 0.3, 0.4, 0.5)), 1);

        TensorSet model = round.finish().model();

        assertArrayEquals(new double[] {2, 1}, values(model, "imaging/w"));
        assertArrayEquals(new double[] {(0.1 + 0.3) / 2, (0.2 + 0.4) / 2, (0.3 + 0.5) / 2}, values(model, "eeg/w"));
        assertArrayEquals(new double[] {0.1}, values(model, "omics/w"), "carried over");
        for (NamedTensor tensor : model) {
            assertTrue(tensor.array().isCanonical(), tensor.name() + " is canonical");
            assertEquals(ByteOrder.LITTLE_ENDIAN, tensor.array().byteOrder(), tensor.name());
            assertEquals(global.get(tensor.name()).orElseThrow().array().dtype(), tensor.array().dtype());
        }
    }

    @Test
    void fortranOrderUpdatesAreAveragedElementByElementInCOrder() {
        Shape shape = Shape.of(2, 3);
        ByteBuffer columnMajor = ByteBuffer.allocate(6 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : new float[] {1, 4, 2, 5, 3, 6}) {
            columnMajor.putFloat(value);
        }
        NpyArray fortran = NpyArray.view(new NpyHeader(DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, true, shape),
                columnMajor.flip());
        RoundAggregation round = FEDAVG.begin(set(tensor("imaging/w", Modality.IMAGING, DType.FLOAT32,
                ByteOrder.LITTLE_ENDIAN, shape, new double[6])), ServerOptimizerState.none());
        round.add("fortran", set(new NamedTensor("imaging/w", Modality.IMAGING, fortran)), 2);
        round.add("c-order", set(tensor("imaging/w", Modality.IMAGING, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, shape,
                constant(6, 1))), 2);

        assertArrayEquals(new double[] {1, 1.5, 2, 2.5, 3, 3.5}, values(round.finish().model(), "imaging/w"));
    }

    @Test
    void fedProxAveragesLikeFedAvgAndSendsMuToSites() {
        Strategy fedProx = Strategies.create(StrategySettings.defaults("fedprox"));
        RoundAggregation round = fedProx.begin(set(f4("eeg/w", Modality.EEG, 0, 0)), ServerOptimizerState.none());
        round.add("a", set(f4("eeg/w", Modality.EEG, 1, 2)), 1);
        round.add("b", set(f4("eeg/w", Modality.EEG, 3, 4)), 1);

        assertArrayEquals(new double[] {2, 3}, values(round.finish().model(), "eeg/w"));
        assertEquals("fedprox", fedProx.name());
        assertEquals(Map.of("callosum.proximal_mu", 0.01), fedProx.siteConfig());
        assertEquals(Map.of(), FEDAVG.siteConfig());
        assertEquals("fedavg", FEDAVG.name());
    }

    @Test
    void unknownStrategyNamesTheKnownOnes() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Strategies.create(StrategySettings.defaults("fedsgd")));
        assertEquals("unknown strategy 'fedsgd'; known: fedadam, fedavg, fedavgm, fedprox, fedyogi",
                error.getMessage());
    }

    @Test
    void aGlobalModelWithANonFloatingTensorIsRefusedByName() {
        TensorSet global = set(f4("imaging/w", Modality.IMAGING, 1),
                tensor("imaging/steps", Modality.IMAGING, DType.INT32, ByteOrder.LITTLE_ENDIAN, Shape.of(1), 3));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> FEDAVG.begin(global, ServerOptimizerState.none()));
        assertEquals("global tensor 'imaging/steps' is <i4; only float32 and float64 tensors can be aggregated",
                error.getMessage());
    }

    @Test
    void finishingWithoutContributorsOrTwiceIsAnError() {
        RoundAggregation round = FEDAVG.begin(set(f4("eeg/w", Modality.EEG, 1)), ServerOptimizerState.none());
        assertThrows(IllegalStateException.class, round::finish);

        round.add("a", set(f4("eeg/w", Modality.EEG, 2)), 1);
        round.finish();
        assertThrows(IllegalStateException.class, round::finish);
        assertThrows(IllegalStateException.class, () -> round.add("b", set(f4("eeg/w", Modality.EEG, 2)), 1));
    }

    @Test
    void aSecureMeanIsTheRoundsOnlyInputAndKeepsItsSenderCounts() {
        RoundAggregation round = FEDAVG.begin(set(f4("omics/w", Modality.OMICS, 0, 0), f4("eeg/w", Modality.EEG, 1)),
                ServerOptimizerState.none());
        round.addSecureMean(Set.of("a", "b", "c"), set(f4("omics/w", Modality.OMICS, 2, 4)), Map.of("omics/w", 3));

        UpdateRejectedException individual = assertThrows(UpdateRejectedException.class,
                () -> round.add("d", set(f4("omics/w", Modality.OMICS, 9, 9)), 1));
        assertTrue(individual.getMessage().contains("securely aggregated"), individual.getMessage());
        assertThrows(UpdateRejectedException.class, () -> round.addSecureMean(Set.of("a"),
                set(f4("omics/w", Modality.OMICS, 9, 9)), Map.of("omics/w", 1)));

        AggregationResult result = round.finish();
        assertArrayEquals(new double[] {2, 4}, values(result.model(), "omics/w"));
        assertArrayEquals(new double[] {1}, values(result.model(), "eeg/w"), "a tensor nobody sent is kept");
        assertEquals(Map.of("omics/w", 3, "eeg/w", 0), result.sitesPerTensor());
        assertEquals(Set.of("a", "b", "c"), round.contributors());
    }

    @Test
    void aSecureMeanCannotJoinIndividualUpdates() {
        RoundAggregation round = FEDAVG.begin(set(f4("omics/w", Modality.OMICS, 0, 0)), ServerOptimizerState.none());
        round.add("a", set(f4("omics/w", Modality.OMICS, 1, 1)), 5);
        assertThrows(UpdateRejectedException.class, () -> round.addSecureMean(Set.of("b", "c", "d"),
                set(f4("omics/w", Modality.OMICS, 2, 2)), Map.of("omics/w", 3)));
    }
}
