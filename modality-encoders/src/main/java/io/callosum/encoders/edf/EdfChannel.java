package io.callosum.encoders.edf;

/** A data signal with all its samples in physical units, in time order. */
public record EdfChannel(EdfSignal signal, float[] samples) {

    public double sampleRate(double recordDurationSeconds) {
        return signal.samplesPerRecord() / recordDurationSeconds;
    }
}
