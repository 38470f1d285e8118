package io.callosum.cli;

import io.callosum.encoders.jepa.BatchSampling;
import picocli.CommandLine;

/** A batch sampling as the coordinator's configuration spells it: {@code uniform} or {@code class-balanced}. */
public final class BatchSamplingConverter implements CommandLine.ITypeConverter<BatchSampling> {
    @Override
    public BatchSampling convert(String value) {
        try {
            return BatchSampling.parse(value, "--batch-sampling");
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }
}
