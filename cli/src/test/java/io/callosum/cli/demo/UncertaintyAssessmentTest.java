package io.callosum.cli.demo;

import io.callosum.cli.demo.report.DemoReport.OodDetection;
import io.callosum.cli.demo.report.DemoReport.Uncertainty;
import io.callosum.encoders.synth.AcquisitionShift;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo's uncertainty assessment on tiny generated sites and untrained tiny encoders: a calibration pool holding
 * only EEG, and subjects of a site with unseen equipment beside held-out subjects of the usual kind.
 */
class UncertaintyAssessmentTest {
    private static final ModelSettings TINY = new ModelSettings(16, 1, 2, 8, 1, 8, 16, 6, 7);

    @TempDir
    static Path dir;
    private static AlignedEncoders encoders;

    @BeforeAll
    static void generate() throws Exception {
        new CohortGenerator(spec(60, 4)).write(dir.resolve("training"), n -> { });
        new CohortGenerator(spec(40, 5)).write(dir.resolve("held-out"), n -> { });
        new CohortGenerator(spec(40, 6)).withShift(AcquisitionShift.UNSEEN_EQUIPMENT).write(dir.resolve("shifted"),
                n -> { });
        new CohortGenerator(spec(1000, 7)).holding(Set.of(Modality.EEG)).write(dir.resolve("pool"), n -> { });
        TensorSet model;
        try (LocalTraining training = LocalTraining.open("site-01", site("training"), TINY, 1)) {
            model = training.parameters();
        }
        encoders = new AlignedEncoders(model, TINY);
    }

    /**
     * Even untrained 16-wide encoders flag the scanner and the amplifier (measured AUROC 0.9+); the noisier, sparser
     * omics assay of 60 genes shows less after per-gene standardization (measured 0.78).
     */
    @Test
    void flagsSubjectsOfASiteWithUnseenEquipment() throws Exception {
        UncertaintyAssessment assessment = new UncertaintyAssessment(encoders, Modality.EEG);

        for (Modality modality : AlignmentAssessment.DATA) {
            OodDetection detection = assessment.detect(modality, List.of(site("training")), site("held-out"),
                    site("shifted")).orElseThrow();
            assertEquals(modality.tag(), detection.modality());
            assertEquals(60, detection.referenceSubjects());
            assertEquals(40, detection.shifted());
            assertTrue(detection.mahalanobisAuroc() >= (modality == Modality.OMICS ? 0.7 : 0.9), detection.toString());
            assertTrue(detection.tokenStatisticsAuroc() >= (modality == Modality.OMICS ? 0.6 : 0.9),
                    detection.toString());
        }
    }

    @Test
    void aLargeCalibrationPoolKeepsEverySplitsCoverageNearTheLevel() throws Exception {
        Uncertainty uncertainty = new UncertaintyAssessment(encoders, Modality.EEG).assess(site("pool"),
                List.of(site("training")), site("held-out"), site("shifted"), 5);

        assertEquals(UncertaintyAssessment.PROBE_SUBJECTS, uncertainty.probeSubjects(), 2);
        assertEquals(1000, uncertainty.probeSubjects() + uncertainty.calibrationSubjects()
                + uncertainty.testSubjects());
        assertEquals(UncertaintyAssessment.CALIBRATION_SPLITS, uncertainty.splitCoverage().size());
        // 300 calibrate and 300 test: one split's coverage has a standard deviation of about 2.4 points.
        double mean = uncertainty.splitCoverage().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals(0.9, mean, 0.02, uncertainty.splitCoverage().toString());
        uncertainty.splitCoverage().forEach(c -> assertTrue(c > 0.8 && c < 0.98, uncertainty.splitCoverage().toString()));
        assertTrue(uncertainty.eceAfter() <= uncertainty.eceBefore() + 0.02, uncertainty.toString());
        assertEquals(3, uncertainty.outOfDistribution().size());
    }

    private static CohortSpec spec(int subjects, long seed) {
        return new CohortSpec(subjects, 1, seed, 16, 1, 64, 60, 6);
    }

    private static Path site(String cohort) {
        return dir.resolve(cohort).resolve("site-01");
    }
}
