package io.callosum.coordinator.inference;

/**
 * Scores one input against a reference bank: its embedding and, when the bank kept its subjects' acquisition, the
 * input's tokenizer statistics, which a request then computes; otherwise it skips that pass and gives null.
 */
public interface ReferenceScorer {
    boolean readsTokenStatistics();

    /** {@code tokenStatistics} is null when {@link #readsTokenStatistics()} is false. */
    Uncertainty.OutOfDistribution score(float[] embedding, float[] tokenStatistics);

    /** For a version and modality without a bank: every input gets {@code reason}, nothing is computed. */
    static ReferenceScorer none(String reason) {
        Uncertainty.OutOfDistribution unavailable = Uncertainty.OutOfDistribution.unavailable(reason);
        return new ReferenceScorer() {
            @Override
            public boolean readsTokenStatistics() {
                return false;
            }

            @Override
            public Uncertainty.OutOfDistribution score(float[] embedding, float[] tokenStatistics) {
                return unavailable;
            }
        };
    }
}
