package io.callosum.encoders.jepa;

import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.model.EncoderConfig;
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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weights in and out of a trainer as tensors, as a federated round moves them, and the FedProx pull. */
class TrainerWeightsTest {
    private static final EncoderConfig TINY = new EncoderConfig(16, 1, 2, 8, 1, 1, 6);
    private static ModalityDataset omics;

    @TempDir
    static Path cohort;

    @BeforeAll
    static void generate() throws IOException {
        new CohortGenerator(new CohortSpec(40, 1, 5, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        omics = DatasetLoader.load(SiteCatalog.read(cohort.resolve("site-01")), Modality.OMICS);
    }

    @Test
    void sameSeedAndArchitectureStartFromIdenticalTaggedWeights() {
        TensorSet first;
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG))) {
            first = trainer.parameters();
            assertEquals(trainer.parameterCount(), first.tensors().stream()
                    .mapToLong(t -> t.array().elementCount()).sum(), "encoder and predictor, nothing else");
        }
        try (JepaTrainer again = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.EMA))) {
            assertSameValues(first, again.parameters());
        }
        assertEquals(Set.of(Modality.OMICS), first.modalities());
        assertTrue(first.tensors().stream().allMatch(t -> t.name().startsWith("omics/")), first.toString());
        assertTrue(first.tensors().stream().anyMatch(t -> t.name().contains("predictor")), first.toString());
    }

    @Test
    void loadedWeightsAreExactlyTheExportedOnes() {
        try (JepaTrainer trained = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG));
             JepaTrainer fresh = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG).withSeed(99))) {
            for (int i = 0; i < 3; i++) {
                trained.step();
            }
            fresh.load(trained.parameters());
            assertSameValues(trained.parameters(), fresh.parameters());
            assertArrayEquals(trained.embed(omics.inputs())[3], fresh.embed(omics.inputs())[3], 0f);
        }
    }

    /**
     * The cosine schedule reaches a learning rate of 0 at its last step: later steps leave every learned weight as
     * it is (the normalization layers' running statistics are not learned and go on following the batches).
     */
    @Test
    void aCosineScheduleSettlesTheWeightsAtItsEnd() {
        assertSettlesAfterThreeSteps(JepaConfig.defaults(Objective.SIGREG).withCosineDecay(3));
        assertThrows(IllegalArgumentException.class, () -> JepaConfig.defaults(Objective.SIGREG).withCosineDecay(-1));
    }

    /** A federated round's trainer picks the federation's schedule up where the previous round left it. */
    @Test
    void aScheduleTakenUpPartWaySettlesAfterTheStepsItHasLeft() {
        assertSettlesAfterThreeSteps(JepaConfig.defaults(Objective.SIGREG).withCosineDecay(5, 2));
        assertThrows(IllegalArgumentException.class,
                () -> JepaConfig.defaults(Objective.SIGREG).withCosineDecay(5, 6));
    }

    private void assertSettlesAfterThreeSteps(JepaConfig annealed) {
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, annealed);
             JepaTrainer constant = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG))) {
            TensorSet initial = trainer.parameters();
            trainer.step();
            constant.step();
            assertFalse(sameLearnedValues(initial, trainer.parameters()), "the schedule's first step moved the weights");
            for (int i = 1; i < 3; i++) {
                trainer.step();
                constant.step();
            }
            TensorSet settled = trainer.parameters();
            TensorSet moving = constant.parameters();
            trainer.step();
            constant.step();
            assertTrue(sameLearnedValues(settled, trainer.parameters()), "no learned weight moved after the schedule");
            assertFalse(sameLearnedValues(moving, constant.parameters()), "a constant rate keeps moving the weights");
        }
    }

    @Test
    void badTensorsAreRefusedByNameAndNoWeightChanges() {
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG))) {
            TensorSet before = trainer.parameters();
            List<NamedTensor> tensors = before.tensors();
            NamedTensor last = tensors.get(tensors.size() - 1);
            String lastName = last.name();

            List<NamedTensor> unknown = new ArrayList<>(tensors);
            unknown.add(new NamedTensor("omics/extra", Modality.OMICS, NpyArray.ofFloats(Shape.of(1), 0f)));
            assertRefused(trainer, TensorSet.of(unknown), "omics/extra");

            assertRefused(trainer, TensorSet.of(tensors.subList(0, tensors.size() - 1)), lastName + "' of omics is missing");

            long[] dims = last.array().shape().dims();
            dims[0]++;
            float[] larger = new float[Math.toIntExact(Shape.of(dims).elementCount())];
            assertRefused(trainer, replacingLast(tensors, t -> new NamedTensor(lastName, Modality.OMICS,
                    NpyArray.ofFloats(Shape.of(dims), larger))), lastName + "' has shape");

            assertRefused(trainer, replacingLast(tensors, t -> {
                float[] values = t.array().toFloatArray();
                values[values.length - 1] = Float.NaN;
                return new NamedTensor(lastName, Modality.OMICS, NpyArray.ofFloats(t.array().shape(), values));
            }), lastName + "' holds NaN");

            assertSameValues(before, trainer.parameters());
        }
    }

    @Test
    void tensorsOfOtherModalitiesAreLeftAlone() {
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, JepaConfig.defaults(Objective.SIGREG))) {
            TensorSet mine = trainer.parameters();
            List<NamedTensor> mixed = new ArrayList<>(mine.tensors());
            mixed.add(new NamedTensor("imaging/anything", Modality.IMAGING, NpyArray.ofFloats(Shape.of(1), 1f)));
            trainer.load(TensorSet.of(mixed));
            assertSameValues(mine, trainer.parameters());
        }
    }

    /** Adam moves every weight by about the learning rate per step; a strong proximal pull cancels that drift. */
    @Test
    void aStrongProximalTermKeepsTheWeightsNearTheAnchor() {
        float[] mus = {0f, 50f};
        double[] drift = new double[2];
        JepaConfig fast = new JepaConfig(Objective.SIGREG, 0.5f, 16, 1e-2f, 64, 0.996f, 7);
        for (int run = 0; run < 2; run++) {
            try (JepaTrainer trainer = new JepaTrainer(omics, TINY, fast)) {
                TensorSet anchor = trainer.parameters();
                trainer.setProximalAnchor(mus[run]);
                for (int i = 0; i < 20; i++) {
                    assertTrue(Float.isFinite(trainer.step().loss()));
                }
                drift[run] = anchor.l2Distance(trainer.parameters());
            }
        }
        String figures = "distance from the anchor: " + drift[0] + " without the term, " + drift[1] + " with mu 50";
        assertTrue(drift[0] > 0, figures);
        assertTrue(drift[1] < 0.5 * drift[0], figures);
        try (JepaTrainer trainer = new JepaTrainer(omics, TINY, fast)) {
            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                    () -> trainer.setProximalAnchor(-1f));
            assertTrue(refusal.getMessage().contains("-1.0"), refusal.getMessage());
        }
    }

    private static TensorSet replacingLast(List<NamedTensor> tensors, UnaryOperator<NamedTensor> change) {
        List<NamedTensor> changed = new ArrayList<>(tensors);
        changed.set(changed.size() - 1, change.apply(changed.get(changed.size() - 1)));
        return TensorSet.of(changed);
    }

    private static void assertRefused(JepaTrainer trainer, TensorSet tensors, String expected) {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> trainer.load(tensors));
        assertTrue(refusal.getMessage().contains(expected), refusal.getMessage());
    }

    private static void assertSameValues(TensorSet expected, TensorSet actual) {
        assertEquals(expected.manifest(), actual.manifest());
        for (NamedTensor tensor : expected) {
            assertArrayEquals(tensor.array().toFloatArray(), actual.get(tensor.name()).orElseThrow().array()
                    .toFloatArray(), 0f, tensor.name());
        }
    }

    private static boolean sameLearnedValues(TensorSet expected, TensorSet actual) {
        for (NamedTensor tensor : expected) {
            if (!tensor.name().contains("running") && !Arrays.equals(tensor.array().toFloatArray(),
                    actual.get(tensor.name()).orElseThrow().array().toFloatArray())) {
                return false;
            }
        }
        return true;
    }
}
