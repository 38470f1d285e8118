package io.callosum.cli.demo;

import io.callosum.alignment.loss.ContrastiveLoss;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.cli.demo.report.DemoReport.PairRetrieval;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's central assessment of an aligned model, on a tiny generated site holding every modality. */
class AlignmentAssessmentTest {
    private static final ModelSettings TINY = new ModelSettings(16, 1, 2, 8, 1, 8, 16, 6, 7);
    private static final int SUBJECTS = 60;

    @TempDir
    Path cohort;

    @Test
    void reportsRetrievalPerPairBesideChance() throws Exception {
        Cohort heldOut = new CohortGenerator(new CohortSpec(SUBJECTS, 1, 4, 16, 1, 64, 60, 6))
                .write(cohort.resolve("held-out"), n -> { });
        Cohort training = new CohortGenerator(new CohortSpec(SUBJECTS, 1, 5, 16, 1, 64, 60, 6))
                .write(cohort.resolve("training"), n -> { });
        Path site = cohort.resolve("held-out/site-01");
        AlignmentConfig space = new AlignmentConfig(8, 16, ContrastiveLoss.INFONCE, 0.07f, true);
        List<NamedTensor> aligned;
        try (LocalTraining encoders = LocalTraining.open("site-01", site, TINY, 1)) {
            aligned = new ArrayList<>(encoders.parameters().tensors());
        }
        Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
        for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            widths.put(modality, TINY.dim());
        }
        aligned.addAll(SharedSpace.initialParameters(widths, space, 2).tensors());

        AlignmentAssessment assessment = AlignmentAssessment.of(site, List.of(cohort.resolve("training/site-01")),
                new AlignedEncoders(TensorSet.of(aligned), TINY), space, Modality.EEG,
                new TruthMappedRetrieval(training, heldOut));

        List<PairRetrieval> pairs = assessment.retrieval();
        assertEquals(List.of("imaging→eeg", "imaging→omics", "eeg→omics"),
                pairs.stream().map(p -> p.query() + "→" + p.bank()).toList());
        assertEquals(List.of(true, false, true), pairs.stream().map(PairRetrieval::boundDirectly).toList());
        for (PairRetrieval pair : pairs) {
            assertEquals(SUBJECTS, pair.bankSize());
            assertEquals(1.0 / SUBJECTS, pair.chanceAt1(), 1e-12);
            assertEquals(50, pair.recallCurve().size());
            assertEquals(pair.recallAt10(), pair.recallCurve().get(9), 1e-12);
            assertTrue(pair.truthMappedRecallAt10() >= pair.truthMappedRecallAt1(), pair.toString());
            for (int k = 1; k < pair.recallCurve().size(); k++) {
                assertTrue(pair.recallCurve().get(k) >= pair.recallCurve().get(k - 1), pair.toString());
            }
        }
    }
}
