package io.callosum.coordinator.inference;

/**
 * Embeddings' images in a version's shared latent space (unit vectors, cosine = dot product), or, when the version
 * has no head for their modality, none and the reason.
 */
public record SharedProjection(Status status, float[][] vectors) {

    /** Whether the version projects this modality, into how many dimensions, at which learnt temperature, or why not. */
    public record Status(boolean available, Integer dimension, Double temperature, String reason) {
    }

    public static SharedProjection unavailable(String reason) {
        return new SharedProjection(new Status(false, null, null, reason), null);
    }

    public float[] vector(int row) {
        return vectors == null ? null : vectors[row];
    }
}
