package io.callosum.coordinator.inference;

import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/**
 * Registers reference subjects in a bank: inputs are embedded with the bank's version (the one asked for, or the
 * bank's if it exists, or the newest holding the modality), and their tokenizer statistics kept so that unseen
 * equipment can be flagged; precomputed embeddings must be as wide as its encoder's, and come without statistics.
 */
@ApplicationScoped
public class ReferenceRegistration {
    private final ModelCatalog catalog;
    private final EmbeddingService embeddings;
    private final ReferenceBanks banks;

    public ReferenceRegistration(ModelCatalog catalog, EmbeddingService embeddings, ReferenceBanks banks) {
        this.catalog = catalog;
        this.embeddings = embeddings;
        this.banks = banks;
    }

    public ReferenceBanks.Summary inputs(String name, ModalityDataset subjects, int[] labels, Optional<Long> version,
                                         String actor) {
        ModelCatalog.Chosen chosen = chosen(name, subjects.modality(), version);
        return banks.register(name, chosen.version().id(), bankSubjects(subjects.modality(), subjects.subjects(),
                embeddings.encode(chosen, subjects), labels, embeddings.tokenStatistics(chosen, subjects)), actor);
    }

    public ReferenceBanks.Summary vectors(String name, Modality modality, List<String> subjects, float[][] vectors,
                                          int[] labels, Optional<Long> version, String actor) {
        ModelCatalog.Chosen chosen = chosen(name, modality, version);
        int width = chosen.plan().model().dim();
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null || vectors[i].length != width) {
                throw InferenceException.unprocessable("reference subject " + i + "'s vector has "
                        + (vectors[i] == null ? 0 : vectors[i].length) + " values; model version "
                        + chosen.version().id() + "'s " + modality.tag() + " embeddings have " + width);
            }
            for (float value : vectors[i]) {
                if (!Float.isFinite(value)) {
                    throw InferenceException.unprocessable("reference subject " + i + "'s vector holds " + value);
                }
            }
        }
        return banks.register(name, chosen.version().id(), bankSubjects(modality, subjects, vectors, labels, null),
                actor);
    }

    private ModelCatalog.Chosen chosen(String name, Modality modality, Optional<Long> version) {
        Optional<Long> bankVersion = banks.find(name).map(StoredBank::modelVersion);
        return catalog.choose(modality, version.or(() -> bankVersion), 0);
    }

    private static BankSubjects bankSubjects(Modality modality, List<String> subjects, float[][] vectors,
                                             int[] labels, float[][] tokenStatistics) {
        try {
            return new BankSubjects(modality, subjects, vectors, labels, tokenStatistics);
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable(e.getMessage());
        }
    }
}
