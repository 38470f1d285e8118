package io.callosum.encoders.jepa;

import java.util.function.Supplier;

/**
 * DJL's PyTorch engine records one gradient tape per process, so everything that trains in a shared JVM (two sites
 * in one test, the demo's baselines, pretraining beside alignment) takes turns at the forward-and-backward pass
 * instead of failing.
 */
public final class GradientTape {
    private static final Object TAPE = new Object();

    private GradientTape() {
    }

    /** Runs {@code step}, which records and replays the tape, while no other step does. */
    public static <T> T exclusively(Supplier<T> step) {
        synchronized (TAPE) {
            return step.get();
        }
    }
}
