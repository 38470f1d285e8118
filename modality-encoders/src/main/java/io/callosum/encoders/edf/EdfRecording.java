package io.callosum.encoders.edf;

import java.time.LocalDateTime;
import java.util.List;

/**
 * An EDF/EDF+ continuous recording: identification, start, the data-record duration, the data channels (each at
 * its own sample rate) and, for EDF+, the annotations parsed out of the {@code EDF Annotations} signal.
 */
public record EdfRecording(String patient, String recording, LocalDateTime start, double recordDurationSeconds,
                           int dataRecords, List<EdfChannel> channels, List<EdfAnnotation> annotations) {

    public EdfRecording {
        channels = List.copyOf(channels);
        annotations = List.copyOf(annotations);
        for (EdfChannel channel : channels) {
            long expected = (long) channel.signal().samplesPerRecord() * dataRecords;
            if (channel.samples().length != expected) {
                throw new IllegalArgumentException("channel '" + channel.signal().label() + "' has "
                        + channel.samples().length + " samples, " + dataRecords + " records of "
                        + channel.signal().samplesPerRecord() + " need " + expected);
            }
        }
    }

    public double durationSeconds() {
        return dataRecords * recordDurationSeconds;
    }
}
