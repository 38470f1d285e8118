package io.callosum.coordinator.inference;

import io.callosum.alignment.binding.AnchorBinding;
import io.callosum.alignment.binding.BindingConfig;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.coordinator.federation.AlignmentPlan;
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
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A generated cohort and a federation's worth of real encoder versions in the registry: imaging and omics
 * encoders at initialization and after 2 and 4 JEPA steps, each version the parent of the next; then an alignment
 * federation over the last of them, whose initial version holds a fresh imaging head only and whose next one holds
 * imaging and omics heads bound together on the cohort's paired subjects.
 */
final class StoredEncoders {
    static final ModelPlan MODEL = new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7);

    static final AlignmentSpace SPACE = new AlignmentSpace(Modality.IMAGING, 8, 16, "infonce");

    final Path site;
    final List<ModelVersion> versions;
    final List<ModelVersion> aligned;
    final ModalityDataset imaging;
    final ModalityDataset omics;

    private StoredEncoders(Path site, List<ModelVersion> versions, List<ModelVersion> aligned,
                           ModalityDataset imaging, ModalityDataset omics) {
        this.site = site;
        this.versions = versions;
        this.aligned = aligned;
        this.imaging = imaging;
        this.omics = omics;
    }

    private static StoredEncoders shared;

    /** One fixture for every test class of the running application. */
    static synchronized StoredEncoders once(FederationRecords records, ModelRegistry models) throws IOException {
        if (shared == null) {
            shared = create(records, models);
        }
        return shared;
    }

    private static StoredEncoders create(FederationRecords records, ModelRegistry models) throws IOException {
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
        List<SubjectEmbeddings> latest = new ArrayList<>();
        try (JepaTrainer imagingTrainer = trainer(imaging); JepaTrainer omicsTrainer = trainer(omics)) {
            for (int round = 0; round <= 2; round++) {
                List<NamedTensor> both = new ArrayList<>();
                imagingTrainer.parameters().forEach(both::add);
                omicsTrainer.parameters().forEach(both::add);
                TensorSet tensors = TensorSet.of(both);
                Optional<ModelVersion> parent = versions.isEmpty() ? Optional.empty()
                        : Optional.of(versions.get(versions.size() - 1));
                versions.add(models.store(federation.id(), parent, round, tensors, ServerOptimizerState.none()));
                if (round == 2) {
                    latest.add(SubjectEmbeddings.of(imaging, imagingTrainer));
                    latest.add(SubjectEmbeddings.of(omics, omicsTrainer));
                }
                for (int step = 0; step < 2; step++) {
                    imagingTrainer.step();
                    omicsTrainer.step();
                }
            }
        }
        List<ModelVersion> aligned = align(records, models, plan, versions.get(versions.size() - 1), latest);
        return new StoredEncoders(site, versions, aligned, imaging, omics);
    }

    /** A multipart 'labels' field: each subject's diagnosis, as a JSON object. */
    static String labels(ModalityDataset data) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < data.size(); i++) {
            json.append(i == 0 ? "" : ",").append('"').append(data.subjects().get(i)).append("\":")
                    .append(data.diagnoses()[i]);
        }
        return json.append('}').toString();
    }

    ModelVersion bound() {
        return aligned.get(1);
    }

    private static List<ModelVersion> align(FederationRecords records, ModelRegistry models, FederationPlan pretraining,
                                            ModelVersion pretrained, List<SubjectEmbeddings> embeddings) {
        FederationPlan plan = new FederationPlan("align-" + pretraining.name(), FederationKind.ALIGNMENT, 1, 1, 1.0,
                Duration.ofMinutes(1), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5), MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off(), new AlignmentPlan(pretraining.name(), SPACE));
        StoredFederation federation = records.create(plan);
        TensorSet encoders = models.tensors(pretrained).select(EnumSet.of(Modality.IMAGING, Modality.OMICS));
        AlignmentConfig config = AlignmentConfig.from(SPACE);
        TensorSet imagingHead = SharedSpace.initialParameters(Map.of(Modality.IMAGING, MODEL.dim()), config,
                MODEL.seed());
        ModelVersion initial = models.store(federation.id(), Optional.empty(), 0,
                withEncoders(encoders, imagingHead), ServerOptimizerState.none());
        TensorSet heads = SharedSpace.initialParameters(Map.of(Modality.IMAGING, MODEL.dim(), Modality.OMICS,
                MODEL.dim()), config, MODEL.seed());
        TensorSet bound = AnchorBinding.train(embeddings, heads,
                new BindingConfig(Modality.IMAGING, config, 150, 5e-3f, 24, 7)).parameters();
        ModelVersion trained = models.store(federation.id(), Optional.of(initial), 1, withEncoders(encoders, bound),
                ServerOptimizerState.none());
        return List.of(initial, trained);
    }

    private static TensorSet withEncoders(TensorSet encoders, TensorSet heads) {
        List<NamedTensor> all = new ArrayList<>(encoders.tensors());
        all.addAll(heads.tensors());
        return TensorSet.of(all);
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
