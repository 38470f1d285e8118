package io.callosum.coordinator.inference;

import java.util.List;

/**
 * The answer to an embeddings request: the version used, and per input subject its modality embedding and
 * uncertainty. There is no shared-latent vector yet: the alignment heads are not part of any stored version.
 */
public record EmbeddingResult(long modelVersion, String federation, String modality, String input,
                              List<SubjectEmbedding> embeddings) {

    public record SubjectEmbedding(String subject, float[] embedding, Uncertainty uncertainty) {
    }
}
