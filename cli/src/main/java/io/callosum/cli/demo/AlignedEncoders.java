package io.callosum.cli.demo;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The encoders of a stored model, embedding generated sites' subjects centrally for the demo's assessments. Each
 * site and modality is embedded once: the retrieval and the uncertainty assessments read the same held-out site.
 */
final class AlignedEncoders {
    private final TensorSet model;
    private final ModelSettings settings;
    private final Map<SiteModality, Optional<Embedded>> embedded = new HashMap<>();

    private record SiteModality(Path site, Modality modality) {
    }

    AlignedEncoders(TensorSet model, ModelSettings settings) {
        this.model = model;
        this.settings = settings;
    }

    /**
     * A modality's pooled encoder embeddings of a site's subjects, with their diagnoses and each subject's
     * tokenizer statistics (mean and spread of its patch embeddings before attention).
     */
    record Embedded(SubjectEmbeddings embeddings, int[] diagnoses, float[][] tokenStatistics) {
        /** Several sites' embeddings as one set, in the order given. */
        static Embedded concat(List<Embedded> parts) {
            List<String> subjects = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<Integer> diagnoses = new ArrayList<>();
            List<float[]> statistics = new ArrayList<>();
            for (Embedded part : parts) {
                subjects.addAll(part.embeddings().subjects());
                vectors.addAll(List.of(part.embeddings().vectors()));
                statistics.addAll(List.of(part.tokenStatistics()));
                for (int diagnosis : part.diagnoses()) {
                    diagnoses.add(diagnosis);
                }
            }
            return new Embedded(new SubjectEmbeddings(parts.get(0).embeddings().modality(), subjects,
                    vectors.toArray(float[][]::new)), diagnoses.stream().mapToInt(Integer::intValue).toArray(),
                    statistics.toArray(float[][]::new));
        }
    }

    /** The model's shared-space tensors (heads and loss parameters). */
    TensorSet sharedSpace() {
        return model.select(Set.of(Modality.SHARED));
    }

    boolean covers(Modality modality) {
        return model.modalities().contains(modality);
    }

    /** {@code site}'s subjects holding {@code modality}, embedded; empty when it holds none or the model lacks it. */
    Optional<Embedded> embed(Path site, Modality modality) throws IOException {
        SiteModality key = new SiteModality(site.toAbsolutePath().normalize(), modality);
        Optional<Embedded> known = embedded.get(key);
        if (known == null) {
            known = embedOnce(site, modality);
            embedded.put(key, known);
        }
        return known;
    }

    private Optional<Embedded> embedOnce(Path site, Modality modality) throws IOException {
        SiteCatalog catalog = SiteCatalog.read(site);
        if (catalog.with(modality).isEmpty() || !covers(modality)) {
            return Optional.empty();
        }
        ModalityDataset data = DatasetLoader.load(catalog, modality);
        try (JepaTrainer encoder = new JepaTrainer(data, settings.encoderConfig(modality),
                JepaConfig.defaults(Objective.SIGREG).withSeed(settings.seed()))) {
            encoder.load(model.select(Set.of(modality)));
            return Optional.of(new Embedded(SubjectEmbeddings.of(data, encoder), data.diagnoses(),
                    encoder.tokenStatistics(data.inputs())));
        }
    }

    /**
     * The pooled embeddings of the subjects each site trains on (its agent's split, never its held-out ones), of
     * every site holding {@code modality}, as one set; empty when none does.
     */
    Optional<SubjectEmbeddings> trainingSubjects(List<Path> sites, Modality modality) throws IOException {
        List<String> subjects = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (Path site : sites) {
            Optional<Embedded> all = embed(site, modality);
            if (all.isEmpty()) {
                continue;
            }
            Set<String> training = Set.copyOf(LocalTraining.trainingSubjects(site, modality,
                    SiteAgentSettings.DEFAULT_SEED).subjects());
            SubjectEmbeddings embeddings = all.get().embeddings();
            for (int i = 0; i < embeddings.size(); i++) {
                if (training.contains(embeddings.subjects().get(i))) {
                    subjects.add(embeddings.subjects().get(i));
                    vectors.add(embeddings.vectors()[i]);
                }
            }
        }
        return subjects.isEmpty() ? Optional.empty()
                : Optional.of(new SubjectEmbeddings(modality, subjects, vectors.toArray(float[][]::new)));
    }

    /** {@link #embed} of every site holding {@code modality}, as one set; empty when none does. */
    Optional<Embedded> embedAll(List<Path> sites, Modality modality) throws IOException {
        List<Embedded> parts = new ArrayList<>();
        for (Path site : sites) {
            embed(site, modality).ifPresent(parts::add);
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(Embedded.concat(parts));
    }
}
