package io.callosum.alignment.space;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared space's tensors: names, the round trip through a tensor set, and what loading refuses. */
class SharedSpaceTest {
    private static final Map<Modality, Integer> WIDTHS = Map.of(Modality.IMAGING, 12, Modality.EEG, 10,
            Modality.OMICS, 8);
    private static final AlignmentConfig SIGLIP = new AlignmentConfig(6, 16, ContrastiveLoss.SIGLIP, 0.1f, true);

    @Test
    void tensorsAreTaggedSharedAndNamedByHeadAndLoss() {
        TensorSet tensors = SharedSpace.initialParameters(WIDTHS, SIGLIP, 1);
        assertEquals(Set.of(Modality.SHARED), tensors.modalities());
        for (NamedTensor tensor : tensors) {
            assertTrue(tensor.name().startsWith(HeadNames.LOSS_PREFIX)
                    || HeadNames.headOf(tensor.name()).isPresent(), tensor.name());
        }
        assertArrayEquals(new long[] {1}, tensors.get("shared/loss/log_scale").orElseThrow().array().shape().dims());
        assertEquals((float) Math.log(10), tensors.get("shared/loss/log_scale").orElseThrow().array().toFloatArray()[0],
                1e-6f);
        assertEquals(-10f, tensors.get("shared/loss/bias").orElseThrow().array().toFloatArray()[0]);
        assertTrue(tensors.get("shared/head-eeg/02hidden_weight").isPresent(), tensors.toString());
        assertEquals(WIDTHS, SharedSpace.inputWidths(tensors));

        TensorSet linear = SharedSpace.initialParameters(Map.of(Modality.OMICS, 8),
                new AlignmentConfig(6, 0, ContrastiveLoss.INFONCE, 0.07f, true), 1);
        assertFalse(linear.get("shared/loss/bias").isPresent(), "InfoNCE has no bias: " + linear);
        assertEquals(Map.of(Modality.OMICS, 8), SharedSpace.inputWidths(linear));
    }

    @Test
    void theStartIsDeterministicInTheSeed() {
        TensorSet first = SharedSpace.initialParameters(WIDTHS, SIGLIP, 4);
        assertEquals(0.0, first.l2Distance(SharedSpace.initialParameters(WIDTHS, SIGLIP, 4)));
        assertTrue(first.l2Distance(SharedSpace.initialParameters(WIDTHS, SIGLIP, 5)) > 0);
    }

    @Test
    void loadedParametersAreExactlyTheExportedOnesAndProjectAlike() {
        TensorSet exported = SharedSpace.initialParameters(WIDTHS, SIGLIP, 1);
        float[][] inputs = random(5, 10, 2);
        try (SharedSpace source = SharedSpace.of(exported, SIGLIP);
             SharedSpace fresh = new SharedSpace(WIDTHS, SIGLIP)) {
            assertTrue(exported.l2Distance(fresh.parameters()) > 0, "a fresh space starts elsewhere");
            fresh.load(exported);
            assertEquals(exported.manifest(), fresh.parameters().manifest());
            for (NamedTensor tensor : exported) {
                assertArrayEquals(tensor.array().toFloatArray(),
                        fresh.parameters().get(tensor.name()).orElseThrow().array().toFloatArray(), 0f, tensor.name());
            }
            float[][] projected = fresh.project(Modality.EEG, inputs);
            for (int i = 0; i < inputs.length; i++) {
                assertArrayEquals(source.project(Modality.EEG, inputs)[i], projected[i], 0f);
                double norm = 0;
                for (float v : projected[i]) {
                    norm += v * v;
                }
                assertEquals(1.0, norm, 1e-5, "shared-space vectors are unit vectors");
            }
            assertEquals(0.1, fresh.temperature(), 1e-6);
        }
    }

    @Test
    void aSiteLoadsItsHeadsFromTheGlobalSetAndExportsOnlyThose() {
        TensorSet global = SharedSpace.initialParameters(WIDTHS, SIGLIP, 1);
        List<NamedTensor> withEncoder = new ArrayList<>(global.tensors());
        withEncoder.add(new NamedTensor("eeg/01encoder_weight", Modality.EEG, NpyArray.ofFloats(Shape.of(2), 1f, 2f)));
        try (SharedSpace site = new SharedSpace(Map.of(Modality.IMAGING, 12, Modality.OMICS, 8), SIGLIP)) {
            site.load(TensorSet.of(withEncoder));
            TensorSet mine = site.parameters();
            assertEquals(Set.of(Modality.IMAGING, Modality.OMICS), SharedSpace.inputWidths(mine).keySet());
            assertEquals(0.0, mine.l2Distance(global));
        }
    }

    @Test
    void badTensorsAreRefusedByNameAndNoWeightChanges() {
        TensorSet good = SharedSpace.initialParameters(WIDTHS, SIGLIP, 1);
        try (SharedSpace space = new SharedSpace(WIDTHS, SIGLIP)) {
            TensorSet before = space.parameters();
            String gamma = "shared/head-imaging/01norm_gamma";

            assertRefused(space, changed(good, gamma, t -> null), gamma + "' of shared is missing");
            assertRefused(space, changed(good, gamma, t -> new NamedTensor(gamma, Modality.SHARED,
                    NpyArray.ofFloats(Shape.of(13), new float[13]))), gamma + "' has shape [13], the model's is [12]");
            assertRefused(space, changed(good, gamma, t -> {
                float[] values = t.array().toFloatArray();
                values[4] = Float.POSITIVE_INFINITY;
                return new NamedTensor(gamma, Modality.SHARED, NpyArray.ofFloats(t.array().shape(), values));
            }), gamma + "' holds Infinity at flat index 4");
            assertRefused(space, with(good, "shared/head-imaging/99extra_weight"), "shared/head-imaging/99extra_weight");
            assertRefused(space, with(good, "shared/head-brain/01norm_gamma"), "unknown modality 'brain'");
            assertRefused(space, with(good, "shared/head-plain/01norm_gamma"), "not a data modality");
            assertRefused(space, changed(good, "shared/loss/bias", t -> null), "shared/loss/bias' of shared is missing");

            assertEquals(0.0, before.l2Distance(space.parameters()), "a refused set changes nothing");
        }
    }

    @Test
    void inputsOfAnotherWidthOrModalityAreRefused() {
        try (SharedSpace space = new SharedSpace(Map.of(Modality.OMICS, 8), SIGLIP)) {
            IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                    () -> space.project(Modality.OMICS, random(3, 9, 1)));
            assertTrue(refusal.getMessage().contains("omics embedding 0 has 9 values; the omics head takes 8"),
                    refusal.getMessage());
            refusal = assertThrows(IllegalArgumentException.class, () -> space.project(Modality.EEG, random(3, 8, 1)));
            assertTrue(refusal.getMessage().contains("no eeg head"), refusal.getMessage());
            refusal = assertThrows(IllegalArgumentException.class,
                    () -> space.energies(Modality.OMICS, random(3, 8, 1), Modality.OMICS, random(2, 8, 1)));
            assertTrue(refusal.getMessage().contains("3 omics inputs, 2 omics inputs"), refusal.getMessage());
        }
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new SharedSpace(Map.of(Modality.SHARED, 8), SIGLIP));
        assertTrue(refusal.getMessage().contains("'shared' is not a data modality"), refusal.getMessage());
    }

    @Test
    void theBlocksForwardProjectsOneBatchPerHeadInModalityOrder() {
        SpaceBlock block = new SpaceBlock(WIDTHS, SIGLIP);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1));
            ParameterStore store = new ParameterStore(manager, false);
            NDList batches = new NDList(
                    manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 12)),
                    manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 10)),
                    manager.randomNormal(new ai.djl.ndarray.types.Shape(3, 8)));
            NDList projected = block.forward(store, batches, false);
            assertEquals(3, projected.size());
            int i = 0;
            for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
                assertEquals(new ai.djl.ndarray.types.Shape(3, 6), projected.get(i).getShape());
                float[] alone = block.heads().get(modality).forward(store, new NDList(batches.get(i)), false)
                        .singletonOrThrow().toFloatArray();
                assertArrayEquals(alone, projected.get(i).toFloatArray(), 1e-6f);
                i++;
            }
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> block.forward(store, new NDList(batches.get(0)), false));
            assertTrue(refused.getMessage().contains("one batch per head [imaging, eeg, omics]"),
                    refused.getMessage());
        }
    }

    @Test
    void subjectEmbeddingsRefuseDuplicateIdsAndRaggedRows() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new SubjectEmbeddings(Modality.EEG, List.of("a", "b", "a"), random(3, 4, 1)));
        assertTrue(refusal.getMessage().contains("subject 'a' appears twice (rows 0 and 2)"), refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class,
                () -> new SubjectEmbeddings(Modality.EEG, List.of("a", "b"), new float[][] {{1, 2}, {1, 2, 3}}));
        assertTrue(refusal.getMessage().contains("subject 'b' has a vector of 3 values"), refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class,
                () -> new SubjectEmbeddings(Modality.EEG, List.of("a"), random(2, 4, 1)));
        assertTrue(refusal.getMessage().contains("1 subject ids for 2 vectors"), refusal.getMessage());
    }

    private static void assertRefused(SharedSpace space, TensorSet tensors, String expected) {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> space.load(tensors));
        assertTrue(refusal.getMessage().contains(expected), refusal.getMessage());
    }

    /** {@code tensors} with the named tensor replaced by {@code change}'s result, or dropped where it gives null. */
    private static TensorSet changed(TensorSet tensors, String name, UnaryOperator<NamedTensor> change) {
        List<NamedTensor> out = new ArrayList<>();
        for (NamedTensor tensor : tensors) {
            NamedTensor kept = tensor.name().equals(name) ? change.apply(tensor) : tensor;
            if (kept != null) {
                out.add(kept);
            }
        }
        return TensorSet.of(out);
    }

    private static TensorSet with(TensorSet tensors, String extraName) {
        List<NamedTensor> out = new ArrayList<>(tensors.tensors());
        out.add(new NamedTensor(extraName, Modality.SHARED, NpyArray.ofFloats(Shape.of(12), new float[12])));
        return TensorSet.of(out);
    }

    private static float[][] random(int rows, int columns, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] values = new float[rows][columns];
        for (float[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        return values;
    }
}
