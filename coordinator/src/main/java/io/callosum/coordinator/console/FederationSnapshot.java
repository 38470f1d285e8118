package io.callosum.coordinator.console;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;

/**
 * What the console shows of one federation, and what its live stream sends whenever it changes: plan, status, how
 * many of its rounds are done, and every round attempt with its metrics (for the loss and probe curves).
 */
public record FederationSnapshot(String name, String kind, String status, String failureReason, int plannedRounds,
                                 int completedRounds, List<RoundSummary> rounds) {

    public record RoundSummary(int round, int attempt, String status, String failureReason, JsonNode metrics) {
    }
}
