package io.callosum.encoders.edf;

/** An EDF+ annotation: onset and duration in seconds from the start of the recording ({@code NaN}: no duration). */
public record EdfAnnotation(double onsetSeconds, double durationSeconds, String text) {

    public boolean hasDuration() {
        return !Double.isNaN(durationSeconds);
    }
}
