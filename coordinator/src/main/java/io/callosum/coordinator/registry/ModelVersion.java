package io.callosum.coordinator.registry;

import io.callosum.protocol.transfer.BlobId;

import java.time.OffsetDateTime;
import java.util.Optional;

/** One stored global model: round 0 is the initial model, round r the result of round r; lineage via the parent. */
public record ModelVersion(long id, long federationId, Optional<Long> parentId, int round, BlobId content,
                           long byteSize, Optional<BlobId> state, long stateStep, OffsetDateTime createdAt) {
}
