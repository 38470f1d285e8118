package io.callosum.coordinator.inference;

import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import io.callosum.uncertainty.variance.EmbeddingSpread;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Embeds model inputs with a stored version, and scores each embedding's uncertainty: the spread over that version
 * and its nearest ancestors (an ensemble along the training trajectory), and the distance to the version's
 * reference bank.
 */
@ApplicationScoped
public class EmbeddingService {
    private final ModelCatalog catalog;
    private final VersionEncoders encoders;
    private final ReferenceBanks banks;
    private final InferenceSettings settings;

    public EmbeddingService(ModelCatalog catalog, VersionEncoders encoders, ReferenceBanks banks,
                            InferenceSettings settings) {
        this.catalog = catalog;
        this.encoders = encoders;
        this.banks = banks;
        this.settings = settings;
    }

    public EmbeddingResult embed(ModalityDataset inputs, Optional<Long> version, String inputKind) {
        Modality modality = inputs.modality();
        ModelCatalog.Chosen chosen = catalog.choose(modality, version, settings.ensembleSize() - 1);
        float[][] embeddings = encode(chosen.version(), chosen, inputs);
        List<float[][]> draws = new ArrayList<>();
        draws.add(embeddings);
        List<Long> versions = new ArrayList<>();
        versions.add(chosen.version().id());
        for (ModelVersion ancestor : chosen.ancestors()) {
            draws.add(encode(ancestor, chosen, inputs));
            versions.add(ancestor.id());
        }
        List<EmbeddingSpread> spreads = draws.size() >= 2 ? EmbeddingSpread.perInput(draws) : List.of();
        List<EmbeddingResult.SubjectEmbedding> results = new ArrayList<>();
        for (int i = 0; i < embeddings.length; i++) {
            Uncertainty.Ensemble ensemble = spreads.isEmpty()
                    ? Uncertainty.Ensemble.unavailable(versions, "version " + chosen.version().id()
                    + " has no ancestor holding a " + modality + " encoder to compare with")
                    : new Uncertainty.Ensemble(true, versions, spreads.get(i).meanVariance(), spreads.get(i).trace(),
                    null);
            Uncertainty uncertainty = new Uncertainty(ensemble,
                    banks.score(chosen.version().id(), modality, embeddings[i]));
            results.add(new EmbeddingResult.SubjectEmbedding(inputs.subjects().get(i), embeddings[i], uncertainty));
        }
        return new EmbeddingResult(chosen.version().id(), chosen.plan().name(),
                modality.tag(), inputKind, results);
    }

    /** Embeds reference subjects with a version and fits the version's bank for their modality. */
    public ReferenceBanks.Summary register(String name, ModalityDataset subjects, int[] labels, Optional<Long> version) {
        ModelCatalog.Chosen chosen = catalog.choose(subjects.modality(), version, 0);
        float[][] embeddings = encode(chosen.version(), chosen, subjects);
        return banks.register(name, chosen.version().id(), subjects.modality(), embeddings, labels);
    }

    private float[][] encode(ModelVersion version, ModelCatalog.Chosen chosen, ModalityDataset inputs) {
        return encoders.embed(version, chosen.plan().model(), inputs.modality(), inputs.geometry(), inputs.inputs());
    }
}
