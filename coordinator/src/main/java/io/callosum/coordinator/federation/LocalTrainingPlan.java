package io.callosum.coordinator.federation;

import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.protocol.tensor.Modality;

import java.util.Locale;
import java.util.Map;

/**
 * What every site does locally in a round of a JEPA federation. {@code learningRateSchedule} {@value #COSINE}
 * anneals the learning rate along one cosine to 0 over all the federation's local steps (each round's steps are
 * the next slice of it), so that the last global version is the average of settled models, not of wherever the
 * last constant-rate steps left each site; {@value #CONSTANT} (and a plan stored without one) keeps it fixed.
 * {@code batchSampling} is a {@link BatchSampling} tag: {@code class-balanced} evens out each site's class mix in
 * its batches; {@code uniform} (and a plan stored without one) draws every subject alike. {@code modalityLambdas}
 * gives the encoders of the modalities it names their own λ in place of {@code lambda} (none: a plan stored before
 * they could differ), since how hard the objective must push against collapse depends on the modality's tokens.
 */
public record LocalTrainingPlan(int localSteps, double learningRate, int batchSize, String objective, double lambda,
                                String learningRateSchedule, String batchSampling,
                                Map<Modality, Double> modalityLambdas) {
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
        modalityLambdas = modalityLambdas == null ? Map.of() : Map.copyOf(modalityLambdas);
        modalityLambdas.forEach((modality, value) -> {
            if (!Modality.DATA.contains(modality)) {
                throw new IllegalArgumentException("a λ for " + modality + ", which has no encoder (expected one of "
                        + Modality.DATA + ")");
            }
            if (!(value >= 0 && value <= 1)) {
                throw new IllegalArgumentException(modality + " λ must be in [0, 1], got " + value);
            }
        });
    }

    /** One λ for every encoder. */
    public LocalTrainingPlan(int localSteps, double learningRate, int batchSize, String objective, double lambda,
                             String learningRateSchedule, String batchSampling) {
        this(localSteps, learningRate, batchSize, objective, lambda, learningRateSchedule, batchSampling, Map.of());
    }

    /** A constant learning rate, uniform batches and one λ. */
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
