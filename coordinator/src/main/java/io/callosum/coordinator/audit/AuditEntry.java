package io.callosum.coordinator.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.OffsetDateTime;

/** One recorded event: who did what to which subject, with structured detail, and its link in the hash chain. */
public record AuditEntry(long id, OffsetDateTime at, String actor, String action, String subject, JsonNode detail,
                         String hash) {
}
