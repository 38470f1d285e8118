package io.callosum.coordinator.inference;

import java.util.List;

/**
 * How far to trust one embedding: the spread of the embeddings that the last few global versions give the same
 * input, and how far the input lies from an operator's reference subjects. Each part says why when it could not
 * be computed.
 */
public record Uncertainty(Ensemble ensemble, OutOfDistribution ood) {

    /** Per-dimension variance across versions (mean over dimensions and its sum, the covariance trace). */
    public record Ensemble(boolean available, List<Long> versions, Double meanVariance, Double trace,
                           String reason) {
        public static Ensemble unavailable(List<Long> versions, String reason) {
            return new Ensemble(false, versions, null, null, reason);
        }
    }

    /**
     * Mahalanobis distance of the embedding to the nearest reference class and the Gaussian energy, with the
     * threshold (the reference subjects' own {@code quantile} of that distance); how the input's acquisition
     * compares with the reference subjects'; flagged when either lies above its threshold.
     */
    public record OutOfDistribution(boolean available, String referenceBank, Double mahalanobis, Double energy,
                                    Double threshold, Double quantile, Acquisition acquisition,
                                    Boolean outOfDistribution, String reason) {
        public static OutOfDistribution unavailable(String reason) {
            return new OutOfDistribution(false, null, null, null, null, null, null, null, reason);
        }
    }

    /**
     * Mahalanobis distance of the input's tokenizer statistics (mean and spread of its patch embeddings before
     * attention) to the reference subjects', against their own quantile: unseen scanners, amplifiers and assays.
     */
    public record Acquisition(boolean available, Double mahalanobis, Double threshold, Boolean unusual,
                              String reason) {
        public static Acquisition unavailable(String reason) {
            return new Acquisition(false, null, null, null, reason);
        }
    }
}
