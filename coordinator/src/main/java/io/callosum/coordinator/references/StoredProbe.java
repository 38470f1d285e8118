package io.callosum.coordinator.references;

import io.callosum.encoders.diagnostics.FittedProbe;

import java.time.OffsetDateTime;

/**
 * A diagnosis probe as stored: a linear probe fitted on part of a labelled bank modality, and the nonconformity
 * scores (of {@code scoreFunction}, {@code aps} or {@code lac}) of the held-out rest, its calibration subjects.
 */
public record StoredProbe(long id, String name, long bankId, String bank, long modelVersion, String modality,
                          String scoreFunction, FittedProbe probe, int fitSubjects, double[] calibrationScores,
                          double calibrationAccuracy, long seed, String createdBy, OffsetDateTime createdAt) {
}
