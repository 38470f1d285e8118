package io.callosum.alignment.binding;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.HeadNames;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.optim.LearningRateSchedule;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Federated anchor binding on two sites that never observe imaging and EEG together (site 1: imaging + omics,
 * site 2: EEG + omics, omics the anchor), judged on 100 held-out subjects neither site saw.
 */
class AnchorBindingTest {
    private static final int ROUNDS = 5;
    private static TwoSiteScenario scenario;

    @BeforeAll
    static void generate() {
        scenario = new TwoSiteScenario(300, 100, 0.3, 11);
    }

    @ParameterizedTest
    @EnumSource(ContrastiveLoss.class)
    void coObservedAndNeverCoObservedPairsAlignOnHeldOutSubjects(ContrastiveLoss loss) {
        AlignmentConfig space = AlignmentConfig.defaults(loss);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        List<List<BindingResult>> history = new ArrayList<>();
        TensorSet global = scenario.federate(initial, config(space, 30), ROUNDS, history);

        RetrievalReport anchored = scenario.heldOut(global, space, Modality.IMAGING, Modality.OMICS);
        RetrievalReport transitive = scenario.heldOut(global, space, Modality.IMAGING, Modality.EEG);
        RetrievalReport transitiveBack = scenario.heldOut(global, space, Modality.EEG, Modality.IMAGING);
        RetrievalReport untrained = scenario.heldOut(initial, space, Modality.IMAGING, Modality.EEG);
        String figures = anchored + "\n" + transitive + "\n" + transitiveBack + "\nuntrained " + untrained;
        assertEquals(0.01, anchored.chanceAt(1), 1e-12);
        assertEquals(0.1, anchored.chanceAt(10), 1e-12);
        // Measured: 0.82 / 1.00 for the anchored pair, 0.64–0.76 / 1.00 for the transitive ones, both losses.
        assertTrue(anchored.recallAt(1) >= 0.5 && anchored.recallAt(10) >= 0.9, figures);
        assertTrue(transitive.recallAt(1) >= 0.3 && transitive.recallAt(10) >= 0.8, figures);
        assertTrue(transitiveBack.recallAt(1) >= 0.3 && transitiveBack.recallAt(10) >= 0.8, figures);
        assertTrue(transitive.medianRank() < 0.2 * transitive.chanceMedianRank(), figures);
        assertTrue(untrained.recallAt(10) < 0.3, figures);

        for (List<BindingResult> round : List.of(history.get(0), history.get(ROUNDS - 1))) {
            for (BindingResult result : round) {
                for (PairMetrics pair : result.pairs()) {
                    assertTrue(pair.lossAfter() < pair.lossBefore(), pair.toString());
                }
            }
        }
        for (int site = 0; site < 2; site++) {
            PairMetrics first = history.get(0).get(site).pairs().get(0);
            PairMetrics last = history.get(ROUNDS - 1).get(site).pairs().get(0);
            assertTrue(last.lossAfter() < 0.5 * first.lossBefore(), first + " then " + last);
        }
    }

    @Test
    void aSiteSendsTheHeadsItTrainedAndTheLossNothingElse() {
        AlignmentConfig space = AlignmentConfig.defaults(ContrastiveLoss.SIGLIP);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        BindingResult result = AnchorBinding.train(scenario.sites.get(0), initial, config(space, 3));
        assertEquals(Set.of(Modality.SHARED), result.parameters().modalities());
        assertEquals(Set.of(Modality.IMAGING, Modality.OMICS), SharedSpace.inputWidths(result.parameters()).keySet());
        assertTrue(result.parameters().get(HeadNames.LOSS_PREFIX + "log_scale").isPresent(), result.toString());
        assertTrue(result.parameters().get(HeadNames.LOSS_PREFIX + "bias").isPresent(), result.toString());
        assertTrue(result.parameters().tensors().stream()
                .noneMatch(t -> t.name().startsWith(HeadNames.headPrefix(Modality.EEG))), result.toString());
        assertEquals(300, result.subjects());
        assertEquals(3, result.stepLosses().length);
        PairMetrics pair = result.pairs().get(0);
        assertEquals(Modality.IMAGING, pair.modality());
        assertEquals(Modality.OMICS, pair.anchor());
        assertEquals(300, pair.subjects());
        assertTrue(changed(initial, result.parameters(), HeadNames.headPrefix(Modality.IMAGING)));
        assertTrue(changed(initial, result.parameters(), HeadNames.headPrefix(Modality.OMICS)));
    }

    @Test
    void aRoundFollowsItsSliceOfTheFederationsCosine() {
        AlignmentConfig space = AlignmentConfig.defaults(ContrastiveLoss.INFONCE);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        String head = HeadNames.headPrefix(Modality.IMAGING);
        // The first round of a 3 × 5-step cosine trains at full rate; past its end the rate is 0 and nothing moves.
        BindingResult first = AnchorBinding.train(scenario.sites.get(0), initial, new BindingConfig(Modality.OMICS,
                space, 5, new LearningRateSchedule(2e-3f, 15, 0), 64, 5));
        BindingResult spent = AnchorBinding.train(scenario.sites.get(0), initial, new BindingConfig(Modality.OMICS,
                space, 5, new LearningRateSchedule(2e-3f, 15, 15), 64, 5));
        assertTrue(changed(initial, first.parameters(), head));
        assertFalse(changed(initial, spent.parameters(), head));
    }

    @Test
    void aFixedTemperatureStaysAndALearntOneMoves() {
        for (boolean learn : new boolean[] {false, true}) {
            AlignmentConfig space = new AlignmentConfig(16, 32, ContrastiveLoss.INFONCE, 0.1f, learn);
            TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
            BindingResult result = AnchorBinding.train(scenario.sites.get(1), initial,
                    new BindingConfig(Modality.OMICS, space, 10, 0.05f, 32, 1));
            float before = initial.get(HeadNames.LOSS_PREFIX + "log_scale").orElseThrow().array().toFloatArray()[0];
            float after = result.parameters().get(HeadNames.LOSS_PREFIX + "log_scale").orElseThrow().array()
                    .toFloatArray()[0];
            assertEquals((float) Math.log(10), before, 1e-6f);
            if (learn) {
                assertNotEquals(before, after);
            } else {
                assertEquals(before, after, 0f);
            }
        }
    }

    @Test
    void matchedInputsHaveLowerEnergyThanMismatchedOnes() {
        AlignmentConfig space = AlignmentConfig.defaults(ContrastiveLoss.INFONCE);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        TensorSet global = scenario.federate(initial, config(space, 30), 3, new ArrayList<>());
        SubjectEmbeddings imaging = scenario.views.embeddings(Modality.IMAGING, scenario.heldOutFrom,
                scenario.heldOutTo);
        SubjectEmbeddings eeg = scenario.views.embeddings(Modality.EEG, scenario.heldOutFrom, scenario.heldOutTo);
        float[][] shifted = new float[eeg.size()][];
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] = eeg.vectors()[(i + 1) % shifted.length];
        }
        try (SharedSpace shared = SharedSpace.of(global, space)) {
            double[] matched = shared.energies(Modality.IMAGING, imaging.vectors(), Modality.EEG, eeg.vectors());
            double[] mismatched = shared.energies(Modality.IMAGING, imaging.vectors(), Modality.EEG, shifted);
            int lower = 0;
            for (int i = 0; i < matched.length; i++) {
                lower += matched[i] < mismatched[i] ? 1 : 0;
            }
            assertTrue(lower >= 0.85 * matched.length, lower + " of " + matched.length + " matched pairs lower");

            float[] x = imaging.vectors()[0];
            float[] y = eeg.vectors()[0];
            float[] hx = shared.project(Modality.IMAGING, new float[][] {x})[0];
            float[] hy = shared.project(Modality.EEG, new float[][] {y})[0];
            double cosine = 0;
            for (int j = 0; j < hx.length; j++) {
                cosine += hx[j] * hy[j];
            }
            assertEquals(-cosine / shared.temperature(), shared.energy(Modality.IMAGING, x, Modality.EEG, y), 1e-4);
        }
    }

    @Test
    void mismatchedSubjectIdsAreRefusedNamingBothModalities() {
        AlignmentConfig space = AlignmentConfig.defaults(ContrastiveLoss.INFONCE);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        SubjectEmbeddings imaging = scenario.views.embeddings(Modality.IMAGING, 0, 20);
        SubjectEmbeddings otherSubjects = scenario.views.embeddings(Modality.OMICS, 20, 40);
        String message = refusal(List.of(imaging, otherSubjects), initial, space);
        assertTrue(message.contains("imaging shares 0 subject id(s)") && message.contains("'sub-0001'")
                && message.contains("'sub-0021'"), message);

        message = refusal(List.of(imaging), initial, space);
        assertTrue(message.contains("anchor modality omics"), message);

        message = refusal(List.of(imaging, imaging, otherSubjects), initial, space);
        assertTrue(message.contains("two sets of imaging"), message);

        message = refusal(List.of(scenario.views.embeddings(Modality.OMICS, 0, 20)), initial, space);
        assertTrue(message.contains("only the anchor"), message);
    }

    @Test
    void embeddingsOfTheWrongWidthOrAMissingHeadAreRefused() {
        AlignmentConfig space = AlignmentConfig.defaults(ContrastiveLoss.INFONCE);
        TensorSet initial = SharedSpace.initialParameters(TwoSiteScenario.WIDTHS, space, 3);
        SubjectEmbeddings omics = scenario.views.embeddings(Modality.OMICS, 0, 20);
        SubjectEmbeddings narrow = new SubjectEmbeddings(Modality.IMAGING, omics.subjects(), omics.vectors());
        String message = refusal(List.of(narrow, omics), initial, space);
        assertTrue(message.contains("imaging embeddings are 32 wide; the imaging head in the given parameters takes 48"),
                message);

        TensorSet withoutImaging = SharedSpace.initialParameters(Map.of(Modality.EEG, 40, Modality.OMICS, 32), space, 3);
        message = refusal(List.of(scenario.views.embeddings(Modality.IMAGING, 0, 20), omics), withoutImaging, space);
        assertTrue(message.contains("no imaging head"), message);
    }

    @Test
    void nonFiniteEmbeddingsAreRefusedNamingTheSubject() {
        SubjectEmbeddings clean = scenario.views.embeddings(Modality.EEG, 0, 5);
        float[][] vectors = clean.vectors().clone();
        vectors[3] = vectors[3].clone();
        vectors[3][7] = Float.NaN;
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new SubjectEmbeddings(Modality.EEG, clean.subjects(), vectors));
        assertTrue(refusal.getMessage().contains("'sub-0004' holds NaN at position 7"), refusal.getMessage());
    }

    private static String refusal(List<SubjectEmbeddings> site, TensorSet initial, AlignmentConfig space) {
        return assertThrows(IllegalArgumentException.class,
                () -> AnchorBinding.train(site, initial, config(space, 1))).getMessage();
    }

    private static boolean changed(TensorSet before, TensorSet after, String prefix) {
        List<NamedTensor> tensors = after.tensors().stream().filter(t -> t.name().startsWith(prefix)).toList();
        assertTrue(!tensors.isEmpty(), prefix);
        for (NamedTensor tensor : tensors) {
            float[] old = before.get(tensor.name()).orElseThrow().array().toFloatArray();
            float[] now = tensor.array().toFloatArray();
            assertEquals(old.length, now.length);
            for (int i = 0; i < old.length; i++) {
                if (old[i] != now[i]) {
                    return true;
                }
            }
        }
        return false;
    }

    private static BindingConfig config(AlignmentConfig space, int steps) {
        return new BindingConfig(Modality.OMICS, space, steps, 2e-3f, 64, 5);
    }
}
