package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.callosum.coordinator.strategy.TestTensors.f4;
import static io.callosum.coordinator.strategy.TestTensors.f8;
import static io.callosum.coordinator.strategy.TestTensors.set;
import static io.callosum.coordinator.strategy.TestTensors.values;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FedOptTest {
    private static final Map<String, DType> DTYPES = Map.of("imaging/w", DType.FLOAT64, "eeg/w", DType.FLOAT32,
            "omics/w", DType.FLOAT64);
    private static final Map<String, Modality> MODALITIES = Map.of("imaging/w", Modality.IMAGING,
            "eeg/w", Modality.EEG, "omics/w", Modality.OMICS);
    /** Per round, per site: the tensors it sends (a round-2 site holds imaging only, so eeg and omics sit out). */
    private static final List<List<SiteUpdate>> ROUNDS = List.of(
            List.of(new SiteUpdate("a", 10, List.of("imaging/w", "eeg/w")),
                    new SiteUpdate("b", 30, List.of("imaging/w", "omics/w"))),
            List.of(new SiteUpdate("a", 5, List.of("imaging/w"))),
            List.of(new SiteUpdate("a", 1, List.of("imaging/w", "eeg/w", "omics/w")),
                    new SiteUpdate("b", 4, List.of("eeg/w"))));

    private record SiteUpdate(String site, long examples, List<String> tensors) {
    }

    private record Sent(long examples, double[] values) {
    }

    @Test
    void fedAdamFirstStepMovesEachWeightByAboutEtaTowardsTheMean() {
        Strategy adam = Strategies.create(StrategySettings.defaults("fedadam"));
        RoundAggregation round = adam.begin(set(f8("eeg/w", Modality.EEG, 1, 1)), ServerOptimizerState.none());
        round.add("a", set(f8("eeg/w", Modality.EEG, 2, -1)), 1);

        AggregationResult result = round.finish();

        // Δ = (1, −2): m = 0.1·Δ, v = 0.01·Δ², so the step is η·m/(√v + τ) = 0.1·sign(Δ), up to τ = 1e-9.
        assertArrayEquals(new double[] {1.1, 0.9}, values(result.model(), "eeg/w"), 1e-8);
        assertArrayEquals(new double[] {0.1, -0.2}, values(result.state().moments(), "m/eeg/w"), 1e-15);
        assertArrayEquals(new double[] {0.01, 0.04}, values(result.state().moments(), "v/eeg/w"), 1e-15);
        assertEquals(1, result.state().step());
    }

    @ParameterizedTest
    @ValueSource(strings = {"fedadam", "fedyogi"})
    void threeRoundsMatchAPlainDoublePrecisionReference(String name) {
        StrategySettings settings = StrategySettings.defaults(name);
        Strategy strategy = Strategies.create(settings);
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Map<String, double[]> weights = new LinkedHashMap<>();
        weights.put("imaging/w", randomValues(random, 5, "imaging/w"));
        weights.put("eeg/w", randomValues(random, 4, "eeg/w"));
        weights.put("omics/w", randomValues(random, 3, "omics/w"));
        Reference reference = new Reference(settings, weights);
        TensorSet global = tensors(weights);
        ServerOptimizerState state = ServerOptimizerState.none();
        Map<String, Integer> lastSitesPerTensor = Map.of();

        for (List<SiteUpdate> sites : ROUNDS) {
            RoundAggregation round = strategy.begin(global, state);
            Map<String, List<Sent>> sent = new HashMap<>();
            for (SiteUpdate site : sites) {
                Map<String, double[]> update = new LinkedHashMap<>();
                for (String tensor : site.tensors()) {
                    update.put(tensor, randomValues(random, weights.get(tensor).length, tensor));
                }
                round.add(site.site(), tensors(update), site.examples());
                update.forEach((tensor, values) -> sent.computeIfAbsent(tensor, t -> new ArrayList<>())
                        .add(new Sent(site.examples(), values)));
            }
            AggregationResult result = round.finish();
            reference.step(sent);
            global = result.model();
            state = result.state();
            lastSitesPerTensor = result.sitesPerTensor();

            for (String tensor : weights.keySet()) {
                assertClose(reference.x.get(tensor), values(global, tensor), tensor);
                assertClose(reference.m.get(tensor), values(state.moments(), "m/" + tensor), "m/" + tensor);
                assertClose(reference.v.get(tensor), values(state.moments(), "v/" + tensor), "v/" + tensor);
            }
        }
        assertEquals(3, state.step());
        assertEquals(Map.of("imaging/w", 1, "eeg/w", 2, "omics/w", 1), lastSitesPerTensor);
    }

    @Test
    void momentsThatDoNotFitTheModelAreRefusedByName() {
        Strategy yogi = Strategies.create(StrategySettings.defaults("fedyogi"));
        TensorSet global = set(f4("eeg/w", Modality.EEG, 1, 2));
        ServerOptimizerState wrongShape = new ServerOptimizerState(4, set(f4("m/eeg/w", Modality.EEG, 1, 2, 3)));
        ServerOptimizerState orphan = new ServerOptimizerState(4, set(f4("v/omics/w", Modality.OMICS, 1)));

        assertEquals("optimizer state tensor 'm/eeg/w' is f4(3,) but global tensor 'eeg/w' is f4(2,)",
                assertThrows(IllegalArgumentException.class, () -> yogi.begin(global, wrongShape)).getMessage());
        assertEquals("optimizer state tensor 'v/omics/w' belongs to no tensor of the global model",
                assertThrows(IllegalArgumentException.class, () -> yogi.begin(global, orphan)).getMessage());
    }

    private static double[] randomValues(SplittableRandom random, int count, String tensor) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = roundToDtype(tensor, random.nextDouble(-1, 1));
        }
        return values;
    }

    private static double roundToDtype(String tensor, double value) {
        return DTYPES.get(tensor) == DType.FLOAT32 ? (float) value : value;
    }

    private static TensorSet tensors(Map<String, double[]> values) {
        List<NamedTensor> tensors = new ArrayList<>();
        values.forEach((name, v) -> tensors.add(DTYPES.get(name) == DType.FLOAT32
                ? f4(name, MODALITIES.get(name), v) : f8(name, MODALITIES.get(name), v)));
        return TensorSet.of(tensors);
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            // float32 tensors round each stored value; float64 ones only differ by summation order, if at all.
            double tolerance = what.endsWith("eeg/w") ? Math.ulp((float) expected[i]) : 1e-14;
            assertEquals(expected[i], actual[i], tolerance, what + "[" + i + "]");
        }
    }

    /** Reddi et al.'s server update written out element by element, storing each value in its tensor's dtype. */
    private static final class Reference {
        private final StrategySettings settings;
        private final Map<String, double[]> x = new HashMap<>();
        private final Map<String, double[]> m = new HashMap<>();
        private final Map<String, double[]> v = new HashMap<>();

        Reference(StrategySettings settings, Map<String, double[]> initial) {
            this.settings = settings;
            initial.forEach((name, values) -> {
                x.put(name, values.clone());
                m.put(name, new double[values.length]);
                v.put(name, new double[values.length]);
            });
        }

        void step(Map<String, List<Sent>> sentByTensor) {
            sentByTensor.forEach((name, sent) -> {
                double[] xs = x.get(name);
                double[] ms = m.get(name);
                double[] vs = v.get(name);
                for (int i = 0; i < xs.length; i++) {
                    double weighted = 0;
                    double examples = 0;
                    for (Sent site : sent) {
                        weighted += site.examples() * site.values()[i];
                        examples += site.examples();
                    }
                    double delta = weighted / examples - xs[i];
                    double mi = settings.beta1() * ms[i] + (1 - settings.beta1()) * delta;
                    double vi = settings.name().equals("fedadam")
                            ? settings.beta2() * vs[i] + (1 - settings.beta2()) * delta * delta
                            : vs[i] - (1 - settings.beta2()) * delta * delta * Math.signum(vs[i] - delta * delta);
                    double xi = xs[i] + settings.serverLearningRate() * mi / (Math.sqrt(vi) + settings.tau());
                    ms[i] = roundToDtype(name, mi);
                    vs[i] = roundToDtype(name, vi);
                    xs[i] = roundToDtype(name, xi);
                }
            });
        }
    }
}
