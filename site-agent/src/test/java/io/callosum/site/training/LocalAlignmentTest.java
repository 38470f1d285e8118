package io.callosum.site.training;

import io.callosum.alignment.binding.BindingConfig;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A generated site's alignment round: who may take part, what leaves the site, what evaluation reports. */
class LocalAlignmentTest {
    private static final ModelSettings TINY = new ModelSettings(16, 1, 2, 8, 1, 8, 16, 6, 7);

    @TempDir
    Path cohort;

    @Test
    void aSiteBindsToAnAnchorItHoldsAndRefusesOneItDoesNot() throws IOException {
        // site-01 holds imaging, EEG and omics; site-02 imaging and EEG.
        new CohortGenerator(new CohortSpec(48, 2, 5, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        AlignmentSpace space = new AlignmentSpace(Modality.OMICS, 8, 16, "infonce");
        AlignmentConfig config = AlignmentConfig.from(space);
        try (LocalTraining first = LocalTraining.open("site-01", cohort.resolve("site-01"), TINY, 3);
             LocalTraining second = LocalTraining.open("site-02", cohort.resolve("site-02"), TINY, 3)) {
            String refused = new LocalAlignment("site-02", second).refusal(Modality.OMICS).orElseThrow();
            assertTrue(refused.contains("holds no omics"), refused);
            LocalAlignment alignment = new LocalAlignment("site-01", first);
            assertTrue(alignment.refusal(Modality.OMICS).isEmpty());

            Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
            for (Modality modality : new Modality[] {Modality.IMAGING, Modality.EEG, Modality.OMICS}) {
                widths.put(modality, TINY.dim());
            }
            TensorSet global = withShared(first, SharedSpace.initialParameters(widths, config, 1));
            FitOutcome fit = alignment.fit(global, new BindingConfig(Modality.OMICS, config, 20, 5e-3f, 16, 1));

            assertEquals(Set.of(Modality.SHARED), fit.update().modalities(), "only shared-space tensors leave");
            assertTrue(fit.metrics().get("alignment_loss.eeg_omics")
                    < fit.metrics().get("alignment_loss_before.eeg_omics"), fit.metrics().toString());
            EvaluationOutcome evaluation = alignment.evaluate(withShared(first, fit.update()), config,
                    Modality.OMICS);
            double recall = evaluation.metrics().get("retrieval_r1.imaging_omics");
            assertTrue(recall >= 0 && recall <= 1, evaluation.metrics().toString());
            assertTrue(evaluation.metrics().containsKey("retrieval_chance_r10.eeg_omics"));
        }
    }

    /** The site's encoders, as a global model of the alignment phase carries them, with {@code shared}'s heads. */
    private static TensorSet withShared(LocalTraining training, TensorSet shared) {
        List<NamedTensor> all = new ArrayList<>(training.parameters().tensors());
        all.addAll(shared.tensors());
        return TensorSet.of(all);
    }
}
