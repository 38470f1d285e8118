package io.callosum.site.training;

import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.data.SubjectEntry;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A site's fit and evaluate steps on a tiny generated cohort. The fourth generated site holds imaging and omics only,
 * which lets the tests send it a modality it lacks; models are a few thousand weights so the class runs in seconds.
 */
class LocalTrainingTest {
    private static final ModelSettings TINY = new ModelSettings(16, 1, 2, 8, 1, 8, 16, 6, 7);
    private static final FitSettings FEW_STEPS = new FitSettings(5, 1e-3f, 8, Objective.SIGREG, 0.5f, 0f);
    private static final long SPLIT_SEED = 3;
    private static Path site;
    private static SiteCatalog catalog;

    @TempDir
    static Path cohort;

    @BeforeAll
    static void generate() throws IOException {
        new CohortGenerator(new CohortSpec(80, 4, 11, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        site = cohort.resolve("site-04");
        catalog = SiteCatalog.read(site);
    }

    @Test
    void inventoryAndHeldOutSubjectsReflectTheSubjectsTable() throws IOException {
        try (LocalTraining training = open()) {
            SiteInventory inventory = training.inventory();
            assertEquals("site-04", inventory.site());
            assertEquals(Map.of(Modality.IMAGING, catalog.with(Modality.IMAGING).size(),
                    Modality.OMICS, catalog.with(Modality.OMICS).size()), inventory.subjects());

            Set<String> heldOut = training.heldOutSubjects();
            Set<String> ids = catalog.subjects().stream().map(SubjectEntry::id).collect(Collectors.toSet());
            assertTrue(ids.containsAll(heldOut), heldOut.toString());
            assertEquals(Math.round(0.3 * ids.size()), heldOut.size(), 1, heldOut.toString());
            assertEquals(diagnoses(catalog.subjects()), diagnoses(catalog.subjects().stream()
                    .filter(s -> heldOut.contains(s.id())).toList()), "every diagnosis is held out");
        }
    }

    @Test
    void trainingSubjectsAreTheSitesSubjectsLessItsHeldOutOnes() throws IOException {
        try (LocalTraining training = open()) {
            List<String> trainedOn = LocalTraining.trainingSubjects(site, Modality.OMICS, SPLIT_SEED).subjects();
            List<String> expected = catalog.with(Modality.OMICS).stream().map(SubjectEntry::id)
                    .filter(id -> !training.heldOutSubjects().contains(id)).toList();
            assertEquals(expected, trainedOn);
        }
    }

    @Test
    void parametersLoadBackExactly() throws IOException {
        try (LocalTraining training = open(); LocalTraining other = open()) {
            TensorSet initial = training.parameters();
            assertSameValues(initial, other.parameters());
            TensorSet update = training.fit(initial, FEW_STEPS).update();
            other.evaluate(update);
            assertSameValues(update, other.parameters());
            training.evaluate(initial);
            assertSameValues(initial, training.parameters());
        }
    }

    @Test
    void fitTrainsOnTheTrainingSubjectsAndReturnsOnlyTheSiteModalities() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet initial = training.parameters();
            FitOutcome outcome = training.fit(initial, FEW_STEPS, 1);

            assertEquals(Set.of(Modality.IMAGING, Modality.OMICS), outcome.update().modalities());
            assertEquals(initial.manifest(), outcome.update().manifest());
            assertTrue(initial.l2Distance(outcome.update()) > 0, "the weights moved");
            long trainSubjects = 0;
            for (Modality modality : List.of(Modality.IMAGING, Modality.OMICS)) {
                long held = catalog.with(modality).stream().filter(s -> training.heldOutSubjects().contains(s.id()))
                        .count();
                double examples = outcome.metrics().get("examples." + modality.tag());
                assertEquals(catalog.with(modality).size() - held, examples, 0, modality.tag());
                trainSubjects += (long) examples;
                for (String metric : List.of("loss.", "prediction_loss.", "regularizer.")) {
                    assertTrue(Double.isFinite(outcome.metrics().get(metric + modality.tag())), metric + modality);
                }
            }
            assertEquals(trainSubjects, outcome.examples());
            assertTrue(outcome.metrics().get("train_seconds") > 0);
        }
    }

    /** The loss is (1 − λ)·prediction + λ·SIGReg at every step, so their means over the steps combine alike. */
    @Test
    void eachModalityTrainsWithItsOwnLambdaWhereTheSettingsNameOne() throws IOException {
        FitSettings omicsApart = new FitSettings(3, 1e-3f, 8, Objective.SIGREG, 0.5f, 0f, 0, 0, BatchSampling.UNIFORM,
                Map.of(Modality.OMICS, 0.2f));
        try (LocalTraining training = open()) {
            Map<String, Double> metrics = training.fit(training.parameters(), omicsApart, 1).metrics();
            for (Map.Entry<Modality, Double> expected : Map.of(Modality.IMAGING, 0.5, Modality.OMICS, 0.2)
                    .entrySet()) {
                String tag = expected.getKey().tag();
                double lambda = expected.getValue();
                assertEquals((1 - lambda) * metrics.get("prediction_loss." + tag)
                        + lambda * metrics.get("regularizer." + tag), metrics.get("loss." + tag), 1e-4, tag);
            }
        }
        assertEquals(0.2f, omicsApart.lambda(Modality.OMICS));
        assertEquals(0.5f, omicsApart.lambda(Modality.EEG));
    }

    @Test
    void aLambdaOutsideItsRangeIsRefusedNamingTheModality() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> new FitSettings(3,
                1e-3f, 8, Objective.SIGREG, 0.5f, 0f, 0, 0, BatchSampling.UNIFORM, Map.of(Modality.OMICS, 1.5f)));
        assertTrue(refusal.getMessage().startsWith("omics: "), refusal.getMessage());
    }

    @Test
    void aGlobalTensorOfAModalityTheSiteLacksIsRefusedByName() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet before = training.parameters();
            List<NamedTensor> global = new ArrayList<>(before.tensors());
            global.add(new NamedTensor("eeg/01encoder_01tokenizer_positions", Modality.EEG,
                    NpyArray.ofFloats(Shape.of(2), 0f, 0f)));
            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                    () -> training.fit(TensorSet.of(global), FEW_STEPS));
            assertTrue(refusal.getMessage().contains("'eeg/01encoder_01tokenizer_positions' is for eeg, which site"
                    + " site-04 does not hold"), refusal.getMessage());
            assertSameValues(before, training.parameters());
        }
    }

    /** Imaging loads before omics; a NaN in omics must leave imaging's weights as they were too. */
    @Test
    void aRefusedTensorLeavesEveryModalityUnchanged() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet before = training.parameters();
            training.fit(before, FEW_STEPS);
            TensorSet trained = training.parameters();
            List<NamedTensor> global = new ArrayList<>(before.tensors());
            int last = global.size() - 1;
            NamedTensor omics = global.get(last);
            float[] values = omics.array().toFloatArray();
            values[0] = Float.POSITIVE_INFINITY;
            global.set(last, new NamedTensor(omics.name(), Modality.OMICS, NpyArray.ofFloats(omics.array().shape(),
                    values)));
            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                    () -> training.evaluate(TensorSet.of(global)));
            assertTrue(refusal.getMessage().contains(omics.name()), refusal.getMessage());
            assertSameValues(trained, training.parameters());
        }
    }

    @Test
    void evaluationScoresTheHeldOutSubjectsOnly() throws IOException {
        try (LocalTraining training = open()) {
            EvaluationOutcome outcome = training.evaluate(training.parameters(), 2);
            long heldOut = 0;
            for (Modality modality : List.of(Modality.IMAGING, Modality.OMICS)) {
                long held = catalog.with(modality).stream().filter(s -> training.heldOutSubjects().contains(s.id()))
                        .count();
                assertEquals(held, outcome.metrics().get("examples." + modality.tag()), 0, modality.tag());
                heldOut += held;
                double accuracy = outcome.metrics().get("probe_accuracy." + modality.tag());
                assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
                assertEquals(0, accuracy * held % 1, 1e-9, "a whole number of held-out subjects is right");
                double rank = outcome.metrics().get("effective_rank." + modality.tag());
                assertTrue(rank > 0 && rank <= 1, "rank fraction " + rank);
            }
            assertEquals(heldOut, outcome.examples());
            assertEquals(training.heldOutSubjects().size(), heldOut / 2, "both modalities hold every subject here");
            assertTrue(Double.isFinite(outcome.loss()) && outcome.loss() > 0, "loss " + outcome.loss());
        }
    }

    @Test
    void fedProxKeepsTheUpdateCloserToTheGlobalWeights() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet global = training.parameters();
            double free = global.l2Distance(training.fit(global, new FitSettings(15, 1e-2f, 8, Objective.SIGREG,
                    0.5f, 0f)).update());
            double anchored = global.l2Distance(training.fit(global, new FitSettings(15, 1e-2f, 8, Objective.SIGREG,
                    0.5f, 50f)).update());
            assertTrue(anchored < 0.5 * free, "distance from the global weights: " + free + " with mu 0, " + anchored
                    + " with mu 50");
        }
    }

    /** The last round of a federation's cosine takes its steps at a learning rate near 0; the first near the base. */
    @Test
    void aRoundFollowsItsSliceOfTheFederationsSchedule() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet global = training.parameters();
            double first = learnedDistance(global, training.fit(global, new FitSettings(5, 1e-2f, 8,
                    Objective.SIGREG, 0.5f, 0f, 100, 0, BatchSampling.UNIFORM)).update());
            double last = learnedDistance(global, training.fit(global, new FitSettings(5, 1e-2f, 8,
                    Objective.SIGREG, 0.5f, 0f, 100, 95, BatchSampling.UNIFORM)).update());
            assertTrue(last < 0.1 * first, "distance from the global weights: " + first + " in the first round, "
                    + last + " in the last");
        }
    }

    /** L2 distance over the learned weights, leaving out normalization running statistics, which follow the batches. */
    private static double learnedDistance(TensorSet from, TensorSet to) {
        double sum = 0;
        for (NamedTensor tensor : from) {
            if (!tensor.name().contains("running")) {
                float[] a = tensor.array().toFloatArray();
                float[] b = to.get(tensor.name()).orElseThrow().array().toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    sum += (a[i] - b[i]) * (double) (a[i] - b[i]);
                }
            }
        }
        return Math.sqrt(sum);
    }

    @Test
    void objectiveLearningRateAndSamplingMayChangeBetweenRounds() throws IOException {
        try (LocalTraining training = open()) {
            TensorSet weights = training.parameters();
            for (FitSettings settings : List.of(FEW_STEPS,
                    new FitSettings(3, 5e-4f, 8, Objective.VICREG, 1f, 0.1f),
                    new FitSettings(3, 1e-3f, 8, Objective.EMA, 0f, 0f),
                    new FitSettings(3, 1e-3f, 8, Objective.SIGREG, 0.5f, 0f, 0, 0, BatchSampling.CLASS_BALANCED))) {
                FitOutcome outcome = training.fit(weights, settings);
                assertNotEquals(0, weights.l2Distance(outcome.update()), settings.toString());
                double regularizer = outcome.metrics().get("regularizer.imaging");
                assertTrue(settings.objective() == Objective.EMA ? regularizer == 0 : regularizer > 0,
                        settings + ": regularizer " + regularizer);
                weights = outcome.update();
            }
        }
    }

    /**
     * Two sites with the same data, sent the same global model, draw their own batches and masks, so their updates
     * differ; the same site draws the same in every run.
     */
    @Test
    void eachSiteDrawsItsOwnBatchesAndMasks() throws IOException {
        TensorSet global;
        TensorSet first;
        try (LocalTraining training = open()) {
            global = training.parameters();
            first = training.fit(global, FEW_STEPS).update();
        }
        try (LocalTraining again = open();
             LocalTraining other = LocalTraining.open("site-05", site, TINY, SPLIT_SEED)) {
            assertEquals(0, first.l2Distance(again.fit(global, FEW_STEPS).update()), "the same site, run again");
            assertEquals(0, global.l2Distance(other.parameters()), "every site starts from the same initial weights");
            assertNotEquals(0, first.l2Distance(other.fit(global, FEW_STEPS).update()), "another site");
        }
        assertNotEquals(LocalTraining.samplingSeed("site-04", 7), LocalTraining.samplingSeed("site-05", 7));
    }

    private static LocalTraining open() throws IOException {
        return LocalTraining.open("site-04", site, TINY, SPLIT_SEED);
    }

    private static Set<Integer> diagnoses(List<SubjectEntry> subjects) {
        return subjects.stream().map(s -> s.diagnosis().orElseThrow()).collect(Collectors.toSet());
    }

    private static void assertSameValues(TensorSet expected, TensorSet actual) {
        assertEquals(expected.manifest(), actual.manifest());
        for (NamedTensor tensor : expected) {
            assertArrayEquals(tensor.array().toFloatArray(), actual.get(tensor.name()).orElseThrow().array()
                    .toFloatArray(), 0f, tensor.name());
        }
    }
}
