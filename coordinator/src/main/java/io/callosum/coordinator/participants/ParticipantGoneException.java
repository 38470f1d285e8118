package io.callosum.coordinator.participants;

/** The participant's stream ended while the coordinator waited for its answer. */
public class ParticipantGoneException extends RuntimeException {
    public ParticipantGoneException(String message) {
        super(message);
    }
}
