package io.callosum.coordinator.inference;

import java.util.List;

/**
 * The answer to a retrieval request: the version and bank used, and per query subject the k nearest reference
 * subjects of the target modality in the shared space, most similar first.
 */
public record RetrievalResult(long modelVersion, String federation, String bank, String modality,
                              String targetModality, String input, int bankSubjects, int k, List<Query> queries) {

    public record Query(String subject, List<Neighbour> neighbours) {
    }

    /**
     * A reference subject, its cosine similarity to the query in the shared space and the energy E(query, subject)
     * (lower: more likely the same subject), and its label when the bank has them.
     */
    public record Neighbour(String subject, double cosine, double energy, Integer label) {
    }
}
