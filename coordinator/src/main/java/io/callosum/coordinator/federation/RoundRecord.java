package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.Optional;

/** One attempt at one round, as recorded. */
public record RoundRecord(long id, int round, int attempt, String status, Optional<Long> inputVersion,
                          Optional<Long> outputVersion, String failureReason, JsonNode metrics, JsonNode timings,
                          OffsetDateTime startedAt, OffsetDateTime completedAt) {
}
