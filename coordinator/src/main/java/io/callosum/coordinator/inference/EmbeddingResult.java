package io.callosum.coordinator.inference;

import java.util.List;

/**
 * The answer to an embeddings request: the version used, whether it projects this modality into the shared latent
 * space (and if not, why), and per input subject its modality embedding, its shared-space vector (null without a
 * head) and uncertainty.
 */
public record EmbeddingResult(long modelVersion, String federation, String modality, String input,
                              SharedProjection.Status sharedSpace, List<SubjectEmbedding> embeddings) {

    public record SubjectEmbedding(String subject, float[] embedding, float[] shared, Uncertainty uncertainty) {
    }
}
