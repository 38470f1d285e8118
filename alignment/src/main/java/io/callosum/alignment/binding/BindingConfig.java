package io.callosum.alignment.binding;

import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.encoders.optim.LearningRateSchedule;
import io.callosum.protocol.tensor.Modality;

/**
 * One site's local alignment run: the anchor modality every other modality is bound to, the shared space's
 * configuration (the federation's), the number of optimizer steps, Adam's learning rate and its schedule (a round's
 * slice of the federation's cosine, or constant), the number of paired subjects per modality pair and step (all of
 * them when a site has fewer), and the seed of batch sampling.
 */
public record BindingConfig(Modality anchor, AlignmentConfig space, int steps, LearningRateSchedule schedule,
                            int batchSize, long seed) {

    /** A constant learning rate. */
    public BindingConfig(Modality anchor, AlignmentConfig space, int steps, float learningRate, int batchSize,
                         long seed) {
        this(anchor, space, steps, LearningRateSchedule.constant(learningRate), batchSize, seed);
    }

    public BindingConfig {
        if (anchor == null || anchor == Modality.SHARED || anchor == Modality.PLAIN) {
            throw new IllegalArgumentException("the anchor must be a data modality, got " + anchor);
        }
        if (space == null) {
            throw new IllegalArgumentException("the shared space's configuration is required");
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must not be negative, got " + steps);
        }
        if (schedule == null) {
            throw new IllegalArgumentException("the learning-rate schedule is required");
        }
        if (batchSize < 2) {
            throw new IllegalArgumentException("a contrastive batch needs at least 2 subjects, got " + batchSize);
        }
    }

    /** 50 steps of 64 pairs at learning rate 10⁻³. */
    public static BindingConfig defaults(Modality anchor, AlignmentConfig space) {
        return new BindingConfig(anchor, space, 50, 1e-3f, 64, 7);
    }

    public BindingConfig withSteps(int value) {
        return new BindingConfig(anchor, space, value, schedule, batchSize, seed);
    }

    public BindingConfig withSeed(long value) {
        return new BindingConfig(anchor, space, steps, schedule, batchSize, value);
    }
}
