package io.callosum.cli;

import io.callosum.encoders.jepa.BatchSampling;

/** A batch sampling as the coordinator's configuration spells it: {@code uniform} or {@code class-balanced}. */
public final class BatchSamplingConverter extends TagConverter<BatchSampling> {
    public BatchSamplingConverter() {
        super(BatchSampling.class, BatchSampling::tag);
    }
}
