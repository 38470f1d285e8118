package io.callosum.coordinator.strategy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;

import static io.callosum.coordinator.strategy.TestTensors.f4;
import static io.callosum.coordinator.strategy.TestTensors.f8;
import static io.callosum.coordinator.strategy.TestTensors.set;
import static io.callosum.coordinator.strategy.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FedAvgMTest {

    private static Strategy fedAvgM(double eta, double momentum) {
        StrategySettings defaults = StrategySettings.defaults("fedavgm");
        return Strategies.create(new StrategySettings("fedavgm", defaults.proximalMu(), eta, momentum,
                defaults.beta1(), defaults.beta2(), defaults.tau()));
    }

    @Test
    void flowerDefaultsAreFedAvg() {
        StrategySettings defaults = StrategySettings.defaults("fedavgm");
        assertEquals(1.0, defaults.serverLearningRate());
        assertEquals(0.0, defaults.serverMomentum());
        TensorSet global = set(f8("imaging/w", Modality.IMAGING, 1, 1));
        RoundAggregation round = Strategies.create(defaults).begin(global, ServerOptimizerState.none());
        round.add("a", set(f8("imaging/w", Modality.IMAGING, 2, 0)), 1);
        round.add("b", set(f8("imaging/w", Modality.IMAGING, 6, 4)), 3);

        AggregationResult result = round.finish();

        assertArrayEquals(new double[] {5, 3}, values(result.model(), "imaging/w"), 1e-15);
        assertTrue(result.state().moments().tensors().isEmpty(), "FedAvgM without momentum stores no moments");
    }

    @Test
    void aServerStepSizeAboveOneGoesFurtherAlongTheMeanUpdateOfTheSitesThatSentEachTensor() {
        TensorSet global = set(f8("imaging/w", Modality.IMAGING, 1, 1), f8("eeg/w", Modality.EEG, 0.5));
        RoundAggregation round = fedAvgM(1.5, 0).begin(global, ServerOptimizerState.none());
        round.add("a", set(f8("imaging/w", Modality.IMAGING, 2, 0)), 1);
        round.add("b", set(f8("imaging/w", Modality.IMAGING, 3, -1)), 1);

        AggregationResult result = round.finish();

        // mean (2.5, −0.5), Δ (1.5, −1.5): 1 + 1.5·Δ; eeg/w was sent by nobody and stays.
        assertArrayEquals(new double[] {3.25, -1.25}, values(result.model(), "imaging/w"), 1e-15);
        assertArrayEquals(new double[] {0.5}, values(result.model(), "eeg/w"), 0);
    }

    @Test
    void momentumAccumulatesAcrossRoundsAndWaitsWhileNobodySendsTheTensor() {
        Strategy strategy = fedAvgM(1.0, 0.5);
        TensorSet global = set(f4("eeg/w", Modality.EEG, 0), f4("omics/w", Modality.OMICS, 0));
        ServerOptimizerState state = ServerOptimizerState.none();
        double[][] eegSent = {{1}, null, {3}};
        double[] expectedEeg = {1, 1, 3.5};
        double[] expectedMomentum = {1, 1, 2.5};
        for (int r = 0; r < eegSent.length; r++) {
            RoundAggregation round = strategy.begin(global, state);
            if (eegSent[r] != null) {
                round.add("a", set(f4("eeg/w", Modality.EEG, eegSent[r])), 2);
            }
            round.add("b", set(f4("omics/w", Modality.OMICS, r + 1)), 1);
            AggregationResult result = round.finish();
            global = result.model();
            state = result.state();

            assertArrayEquals(new double[] {expectedEeg[r]}, values(global, "eeg/w"), 1e-6, "round " + (r + 1));
            assertArrayEquals(new double[] {expectedMomentum[r]}, values(state.moments(), "m/eeg/w"), 1e-6,
                    "round " + (r + 1));
        }
        // eeg: Δ 1, u 1 → 1; nobody sends it, both stay; Δ 2, u 2.5 → 3.5.
        // omics: Δ 1, u 1 → 1; Δ 1, u 1.5 → 2.5; Δ 0.5, u 1.25 → 3.75.
        assertArrayEquals(new double[] {3.75}, values(global, "omics/w"), 1e-6);
        assertEquals(3, state.step());
    }

    @Test
    void aPlanStoredBeforeFedAvgMReadsBackWithoutMomentum() throws Exception {
        StrategySettings stored = new ObjectMapper().readValue("""
                {"name": "fedadam", "proximalMu": 0.01, "serverLearningRate": 0.1, "beta1": 0.9, "beta2": 0.99,
                 "tau": 1e-9}""", StrategySettings.class);

        assertEquals(new StrategySettings("fedadam", 0.01, 0.1, 0, 0.9, 0.99, 1e-9), stored);
    }

    @Test
    void momentumOfOneOrMoreIsRefusedByName() {
        StrategySettings defaults = StrategySettings.defaults("fedavgm");
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new StrategySettings("fedavgm", defaults.proximalMu(), 1.0, 1.0, defaults.beta1(),
                        defaults.beta2(), defaults.tau()));
        assertEquals("serverMomentum must be in [0, 1), got 1.0", error.getMessage());
    }
}
