package io.callosum.encoders.jepa;

import ai.djl.training.tracker.Tracker;
import io.callosum.encoders.optim.LearningRateSchedule;

import java.util.Objects;

/**
 * One pretraining run's objective and optimisation settings. {@code lambda} weighs the anti-collapse term: for
 * SIGReg loss = λ·SIGReg + (1 − λ)·prediction; for VICReg loss = prediction + λ·penalty; EMA ignores it. λ = 0
 * leaves nothing to prevent collapse.
 *
 * <p>LeJEPA's λ ≈ 0.02–0.05 goes with batches of hundreds of views; the statistic grows with the batch, so at the
 * batch of 32 that fits a CPU it is ten times weaker. Measured on the synthetic cohort (400 subjects, 500 steps),
 * λ = 0.05 let the effective rank fall to 6–8% of the dimension in imaging and EEG, and λ = 0.5 kept it at 41–51%
 * with better probes; hence the default of 0.5.
 *
 * <p>{@code decaySteps} &gt; 0 anneals the learning rate along a cosine to 0 over that many steps, as I-JEPA and
 * LeJEPA do, so a run ends in a settled state rather than wherever the last noisy steps left it (imaging's probe
 * moved by ±5 points between evaluations at a constant rate); 0 keeps it constant. {@code decayStart} says how many
 * of those steps were taken before this trainer's first one: a federated round's local steps are a slice of the
 * federation's schedule, which a fresh trainer (and optimizer) per round picks up where the last round left it.
 *
 * <p>{@code sampling} says how a batch draws its subjects (see {@link BatchSampling}).
 */
public record JepaConfig(Objective objective, float lambda, int batchSize, float learningRate, int slices,
                         float emaMomentum, long seed, int decaySteps, int decayStart, BatchSampling sampling) {

    /** A constant learning rate and uniform batches. */
    public JepaConfig(Objective objective, float lambda, int batchSize, float learningRate, int slices,
                      float emaMomentum, long seed) {
        this(objective, lambda, batchSize, learningRate, slices, emaMomentum, seed, 0, 0, BatchSampling.UNIFORM);
    }

    public JepaConfig {
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(sampling, "batch sampling");
        if (lambda < 0 || lambda > 1) {
            throw new IllegalArgumentException("lambda must lie in [0, 1], got " + lambda);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2, got " + batchSize);
        }
        schedule(learningRate, decaySteps, decayStart);
    }

    public static JepaConfig defaults(Objective objective) {
        float lambda = switch (objective) {
            case SIGREG -> 0.5f;
            case VICREG -> 1f;
            case EMA -> 0f;
        };
        return new JepaConfig(objective, lambda, 32, 1e-3f, 256, 0.996f, 7);
    }

    /** The learning rate of each of this trainer's optimizer updates (see {@link LearningRateSchedule#tracker}). */
    public Tracker learningRateTracker() {
        return schedule(learningRate, decaySteps, decayStart).tracker();
    }

    /** The rate and its schedule as one value; making it is also what checks them when a config is made. */
    private static LearningRateSchedule schedule(float learningRate, int decaySteps, int decayStart) {
        return new LearningRateSchedule(learningRate, decaySteps, decayStart);
    }

    public JepaConfig withSeed(long value) {
        return new JepaConfig(objective, lambda, batchSize, learningRate, slices, emaMomentum, value, decaySteps,
                decayStart, sampling);
    }

    public JepaConfig withCosineDecay(int steps) {
        return withCosineDecay(steps, 0);
    }

    /** A cosine over {@code steps} of which the first {@code alreadyTaken} were taken elsewhere. */
    public JepaConfig withCosineDecay(int steps, int alreadyTaken) {
        return new JepaConfig(objective, lambda, batchSize, learningRate, slices, emaMomentum, seed, steps,
                alreadyTaken, sampling);
    }

    public JepaConfig withLambda(float value) {
        return new JepaConfig(objective, value, batchSize, learningRate, slices, emaMomentum, seed, decaySteps,
                decayStart, sampling);
    }

    public JepaConfig withSampling(BatchSampling value) {
        return new JepaConfig(objective, lambda, batchSize, learningRate, slices, emaMomentum, seed, decaySteps,
                decayStart, value);
    }
}
