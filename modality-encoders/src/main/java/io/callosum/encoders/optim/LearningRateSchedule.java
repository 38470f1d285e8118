package io.callosum.encoders.optim;

import ai.djl.training.tracker.CosineTracker;
import ai.djl.training.tracker.Tracker;

/**
 * A learning rate, constant ({@code decaySteps} 0) or annealed along a cosine to 0 over {@code decaySteps} steps of
 * which {@code decayStart} were taken before this optimizer's first: a federated round's local steps are a slice of
 * the federation's schedule, which a fresh optimizer per round picks up where the last round left it.
 */
public record LearningRateSchedule(float learningRate, int decaySteps, int decayStart) {

    public LearningRateSchedule {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        if (decaySteps < 0) {
            throw new IllegalArgumentException("decay steps must not be negative, got " + decaySteps);
        }
        if (decayStart < 0 || decayStart > decaySteps) {
            throw new IllegalArgumentException("the decay must start within its " + decaySteps + " steps, got step "
                    + decayStart);
        }
    }

    public static LearningRateSchedule constant(float learningRate) {
        return new LearningRateSchedule(learningRate, 0, 0);
    }

    /**
     * The rate of each of the optimizer's updates, which DJL counts from 1: the first takes the schedule's step
     * {@code decayStart}, at the full rate when that is 0, and the last of the schedule comes just before the rate
     * reaches 0.
     */
    public Tracker tracker() {
        if (decaySteps == 0) {
            return Tracker.fixed(learningRate);
        }
        Tracker cosine = CosineTracker.builder().setBaseValue(learningRate).optFinalValue(0f)
                .setMaxUpdates(decaySteps).build();
        return update -> cosine.getNewValue(decayStart + update - 1);
    }
}
