package io.callosum.coordinator.federation;

import io.callosum.encoders.jepa.BatchSampling;

import java.util.Locale;

/**
 * What every site does locally in a round of a JEPA federation. {@code learningRateSchedule} {@value #COSINE}
 * anneals the learning rate along one cosine to 0 over all the federation's local steps (each round's steps are
 * the next slice of it), so that the last global version is the average of settled models, not of wherever the
 * last constant-rate steps left each site; {@value #CONSTANT} (and a plan stored without one) keeps it fixed.
 * {@code batchSampling} is a {@link BatchSampling} tag: {@code class-balanced} evens out each site's class mix in
 * its batches; {@code uniform} (and a plan stored without one) draws every subject alike.
 */
public record LocalTrainingPlan(int localSteps, double learningRate, int batchSize, String objective, double lambda,
                                String learningRateSchedule, String batchSampling) {
    public static final String CONSTANT = "constant";
    public static final String COSINE = "cosine";

    public LocalTrainingPlan {
        learningRateSchedule = learningRateSchedule == null ? CONSTANT
                : learningRateSchedule.toLowerCase(Locale.ROOT);
        if (!learningRateSchedule.equals(CONSTANT) && !learningRateSchedule.equals(COSINE)) {
            throw new IllegalArgumentException("learning-rate schedule must be '" + CONSTANT + "' or '" + COSINE
                    + "', got '" + learningRateSchedule + "'");
        }
        batchSampling = batchSampling == null ? BatchSampling.UNIFORM.tag()
                : BatchSampling.parse(batchSampling.toLowerCase(Locale.ROOT), "local training").tag();
    }

    /** A constant learning rate and uniform batches. */
    public LocalTrainingPlan(int localSteps, double learningRate, int batchSize, String objective, double lambda) {
        this(localSteps, learningRate, batchSize, objective, lambda, CONSTANT, BatchSampling.UNIFORM.tag());
    }

    /** Steps of the cosine over a federation of {@code rounds} rounds: 0 for a constant rate. */
    int decaySteps(int rounds) {
        return learningRateSchedule.equals(COSINE) ? rounds * localSteps : 0;
    }

    /** Steps of the cosine taken before {@code round} (1-based; a retried round takes its steps again) begins. */
    int decayStart(int round) {
        return learningRateSchedule.equals(COSINE) ? (round - 1) * localSteps : 0;
    }
}
