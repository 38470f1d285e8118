package io.callosum.coordinator.federation;

import java.util.Map;
import java.util.Optional;

/** How one participant's part of one phase of a round went: its answer's figures, or how it failed. */
public record ParticipantOutcome(String participant, Phase phase, Status status, long examples, double seconds,
                                 long bytesIn, long bytesOut, Optional<Double> loss, Map<String, Double> metrics,
                                 String detail) {
    public enum Phase { FIT, EVALUATE }

    /** ok: answered and used; failed: answered with an error status; rejected: its answer was refused;
     *  dropped: left before answering; timeout: no answer before the round's deadline. */
    public enum Status { OK, FAILED, REJECTED, DROPPED, TIMEOUT }

    public ParticipantOutcome {
        metrics = Map.copyOf(metrics);
    }

    public boolean ok() {
        return status == Status.OK;
    }

    static ParticipantOutcome failure(String participant, Phase phase, Status status, double seconds, long bytesOut,
                                      String detail) {
        return new ParticipantOutcome(participant, phase, status, 0, seconds, 0, bytesOut, Optional.empty(),
                Map.of(), detail);
    }
}
