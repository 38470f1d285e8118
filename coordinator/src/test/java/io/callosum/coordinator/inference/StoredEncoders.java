package io.callosum.coordinator.inference;

import io.callosum.coordinator.federation.DifferentialPrivacyPlan;
import io.callosum.coordinator.federation.FederationKind;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.LocalTrainingPlan;
import io.callosum.coordinator.federation.SecureAggregationPlan;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A generated cohort and a federation's worth of real encoder versions in the registry: imaging and omics
 * encoders at initialization and after 2 and 4 JEPA steps, each version the parent of the next.
 */
final class StoredEncoders {
    static final ModelPlan MODEL = new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7);

    final Path site;
    final List<ModelVersion> versions;
    final ModalityDataset imaging;

    private StoredEncoders(Path site, List<ModelVersion> versions, ModalityDataset imaging) {
        this.site = site;
        this.versions = versions;
        this.imaging = imaging;
    }

    static StoredEncoders create(FederationRecords records, ModelRegistry models) throws IOException {
        Path cohort = Files.createTempDirectory("inference-cohort");
        new CohortGenerator(new CohortSpec(24, 1, 11, 16, 1, 64, 24, 3)).write(cohort, n -> { });
        Path site = cohort.resolve("site-01");
        SiteCatalog catalog = SiteCatalog.read(site);
        ModalityDataset imaging = DatasetLoader.load(catalog, Modality.IMAGING);
        ModalityDataset omics = DatasetLoader.load(catalog, Modality.OMICS);
        FederationPlan plan = new FederationPlan("inference-" + UUID.randomUUID().toString().substring(0, 8),
                FederationKind.JEPA, 2, 1, 1.0, Duration.ofMinutes(1), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5), MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off());
        StoredFederation federation = records.create(plan);
        List<ModelVersion> versions = new ArrayList<>();
        try (JepaTrainer imagingTrainer = trainer(imaging); JepaTrainer omicsTrainer = trainer(omics)) {
            for (int round = 0; round <= 2; round++) {
                List<NamedTensor> both = new ArrayList<>();
                imagingTrainer.parameters().forEach(both::add);
                omicsTrainer.parameters().forEach(both::add);
                TensorSet tensors = TensorSet.of(both);
                Optional<ModelVersion> parent = versions.isEmpty() ? Optional.empty()
                        : Optional.of(versions.get(versions.size() - 1));
                versions.add(models.store(federation.id(), parent, round, tensors, ServerOptimizerState.none()));
                for (int step = 0; step < 2; step++) {
                    imagingTrainer.step();
                    omicsTrainer.step();
                }
            }
        }
        return new StoredEncoders(site, versions, imaging);
    }

    ModelVersion latest() {
        return versions.get(versions.size() - 1);
    }

    private static JepaTrainer trainer(ModalityDataset data) {
        EncoderConfig config = EncoderConfig.forModality(data.modality(), MODEL.dim(), MODEL.depth(), MODEL.heads(),
                MODEL.predictorDim(), MODEL.predictorDepth(), MODEL.imagingPatch(), MODEL.eegPatch(),
                MODEL.omicsGroups());
        JepaConfig defaults = JepaConfig.defaults(Objective.SIGREG);
        return new JepaTrainer(data, config, new JepaConfig(Objective.SIGREG, 0.5f, 8, 1e-3f, defaults.slices(),
                defaults.emaMomentum(), 7));
    }
}
