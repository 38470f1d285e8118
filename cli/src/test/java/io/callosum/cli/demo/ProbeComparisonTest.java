package io.callosum.cli.demo;

import io.callosum.cli.demo.report.DemoReport.ModalityComparison;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.synth.Cohort;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.encoders.synth.SiteProfile;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.training.ModelSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo's baselines are trained on the sites' training subjects and scored on a separate probe pool. */
class ProbeComparisonTest {
    private static final ModelSettings TINY = new ModelSettings(16, 1, 2, 8, 1, 8, 64, 6, 7);

    @Test
    void baselinesAreScoredOnTheProbePool(@TempDir Path dir) throws IOException {
        Cohort cohort = new CohortGenerator(new CohortSpec(60, 3, 5, 16, 1, 64, 60, 6)).write(dir.resolve("sites"),
                n -> { });
        new CohortGenerator(new CohortSpec(45, 1, 6, 16, 1, 64, 60, 6)).write(dir.resolve("pool"), n -> { });
        Map<String, Path> sites = new LinkedHashMap<>();
        for (SiteProfile site : cohort.sites()) {
            sites.put(site.name(), dir.resolve("sites").resolve(site.name()));
        }
        ModalityDataset pool = DatasetLoader.load(SiteCatalog.read(dir.resolve("pool/site-01")), Modality.OMICS);
        ProbeComparison comparison = new ProbeComparison(sites, TINY, 8, 1e-3f, 0.5f, Map.of(Modality.OMICS, 0.3f),
                true, BatchSampling.CLASS_BALANCED);
        TensorSet federated;
        try (JepaTrainer trainer = new JepaTrainer(pool, TINY.encoderConfig(Modality.OMICS),
                JepaConfig.defaults(Objective.SIGREG).withSeed(3))) {
            federated = trainer.parameters();
        }

        ModalityComparison result = comparison.compare(Modality.OMICS, federated, 2, pool, total -> done -> { });

        assertEquals(45, result.probeSubjects());
        assertEquals("omics", result.modality());
        for (double accuracy : new double[] {result.federated(), result.centralized(), result.localOnly(),
                result.randomInit(), result.centralizedAtFederationLength()}) {
            assertTrue(accuracy >= 0 && accuracy <= 1, "accuracy " + accuracy);
        }
        ModalityDataset imaging = DatasetLoader.load(SiteCatalog.read(dir.resolve("pool/site-01")), Modality.IMAGING);
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> comparison.compare(Modality.OMICS, federated, 2, imaging, total -> done -> { }));
        assertTrue(refusal.getMessage().contains("omics"), refusal.getMessage());
    }
}
