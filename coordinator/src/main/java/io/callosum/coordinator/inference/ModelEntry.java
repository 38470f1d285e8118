package io.callosum.coordinator.inference;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One global version as the API lists it: where it came from (federation and its kind, round, parent), what it
 * holds (an alignment version: frozen encoders and {@code shared} heads), and the metrics of the round that
 * produced it (none for the initial version).
 */
public record ModelEntry(long id, String federation, String kind, int round, Optional<Long> parentId,
                         List<String> modalities, String contentHash, long byteSize, OffsetDateTime createdAt, JsonNode metrics) {
}
