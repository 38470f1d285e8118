package io.callosum.encoders.jepa;

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
 * moved by ±5 points between evaluations at a constant rate); 0 keeps it constant, as federated local training
 * does, whose steps are slices of a longer run.
 */
public record JepaConfig(Objective objective, float lambda, int batchSize, float learningRate, int slices,
                         float emaMomentum, long seed, int decaySteps) {

    /** A constant learning rate. */
    public JepaConfig(Objective objective, float lambda, int batchSize, float learningRate, int slices,
                      float emaMomentum, long seed) {
        this(objective, lambda, batchSize, learningRate, slices, emaMomentum, seed, 0);
    }

    public JepaConfig {
        if (lambda < 0 || lambda > 1) {
            throw new IllegalArgumentException("lambda must lie in [0, 1], got " + lambda);
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("batch size must be at least 2, got " + batchSize);
        }
        if (decaySteps < 0) {
            throw new IllegalArgumentException("decay steps must not be negative, got " + decaySteps);
        }
    }

    public static JepaConfig defaults(Objective objective) {
        float lambda = switch (objective) {
            case SIGREG -> 0.5f;
            case VICREG -> 1f;
            case EMA -> 0f;
        };
        return new JepaConfig(objective, lambda, 32, 1e-3f, 256, 0.996f, 7);
    }

    public JepaConfig withSeed(long value) {
        return new JepaConfig(objective, lambda, batchSize, learningRate, slices, emaMomentum, value, decaySteps);
    }

    public JepaConfig withCosineDecay(int steps) {
        return new JepaConfig(objective, lambda, batchSize, learningRate, slices, emaMomentum, seed, steps);
    }
}
