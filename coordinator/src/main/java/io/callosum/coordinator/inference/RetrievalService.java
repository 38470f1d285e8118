package io.callosum.coordinator.inference;

import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.Match;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cross-modal retrieval for clinical tools: an input of one modality ranks a reference bank's subjects of another
 * by cosine similarity in the shared space of the bank's model version, each with the energy E(x, y) of the pair.
 */
@ApplicationScoped
public class RetrievalService {
    static final int MAX_K = 100;

    private final ModelCatalog catalog;
    private final EmbeddingService embeddings;
    private final VersionHeads heads;
    private final ReferenceBanks banks;

    public RetrievalService(ModelCatalog catalog, EmbeddingService embeddings, VersionHeads heads,
                            ReferenceBanks banks) {
        this.catalog = catalog;
        this.embeddings = embeddings;
        this.heads = heads;
        this.banks = banks;
    }

    public RetrievalResult retrieve(ModalityDataset inputs, Modality target, String bankName, int k,
                                    Optional<Long> requestedVersion, String inputKind) {
        if (bankName == null || bankName.isBlank()) {
            throw InferenceException.badRequest("'bank' is missing: the name of a reference bank"
                    + " (GET /api/v1/references)");
        }
        StoredBank bank = banks.bank(bankName);
        long version = bank.modelVersion();
        if (requestedVersion.isPresent() && requestedVersion.get() != version) {
            throw InferenceException.unprocessable("reference bank '" + bankName + "' holds embeddings of model"
                    + " version " + version + ", not " + requestedVersion.get() + "; ask for that version or none");
        }
        BankSubjects references = banks.modality(bank, target).subjects();
        int most = Math.min(MAX_K, references.size());
        if (k < 1 || k > most) {
            throw InferenceException.badRequest("'k' must lie between 1 and " + most + " (the bank's "
                    + references.size() + " " + target.tag() + " subjects, at most " + MAX_K + "), got " + k);
        }
        Modality modality = inputs.modality();
        ModelCatalog.Chosen chosen = catalog.choose(modality, Optional.of(version), 0);
        for (Modality needed : List.of(modality, target)) {
            heads.missingHead(chosen.version(), chosen.plan(), needed).ifPresent(reason -> {
                throw InferenceException.unprocessable("retrieval needs the shared space: " + reason);
            });
        }
        float[][] queries = embeddings.encode(chosen, inputs);
        List<RetrievalResult.Query> results = heads.withSpace(chosen.version(), chosen.plan(),
                space -> rank(space, inputs, queries, references, k));
        return new RetrievalResult(version, chosen.plan().name(), bank.name(), modality.tag(), target.tag(),
                inputKind, references.size(), k, results);
    }

    private static List<RetrievalResult.Query> rank(SharedSpace space, ModalityDataset inputs, float[][] queries,
                                                    BankSubjects references, int k) {
        Modality modality = inputs.modality();
        Modality target = references.modality();
        float[][] projected = space.project(modality, queries);
        SubjectEmbeddings bank = new SubjectEmbeddings(target, references.subjects(),
                space.project(target, references.vectors()));
        Map<String, Integer> rows = bank.rows();
        List<RetrievalResult.Query> results = new ArrayList<>();
        for (int q = 0; q < queries.length; q++) {
            List<Match> matches = CrossModalRetrieval.nearest(projected[q], bank, k);
            float[][] pairs = new float[matches.size()][];
            Arrays.fill(pairs, queries[q]);
            float[][] matched = matches.stream().map(m -> references.vectors()[rows.get(m.subject())])
                    .toArray(float[][]::new);
            double[] energies = space.energies(modality, pairs, target, matched);
            List<RetrievalResult.Neighbour> neighbours = new ArrayList<>();
            for (int i = 0; i < matches.size(); i++) {
                int label = references.labels()[rows.get(matches.get(i).subject())];
                neighbours.add(new RetrievalResult.Neighbour(matches.get(i).subject(), matches.get(i).cosine(),
                        energies[i], label == BankSubjects.UNLABELLED ? null : label));
            }
            results.add(new RetrievalResult.Query(inputs.subjects().get(q), neighbours));
        }
        return results;
    }
}
