package io.callosum.coordinator.inference;

import io.callosum.coordinator.references.StoredProbe;

import java.time.OffsetDateTime;

/**
 * A diagnosis probe as the API shows it: where it came from, how many subjects fitted and calibrated it, its
 * accuracy on the calibration subjects, and the highest coverage its calibration size allows, n/(n+1).
 */
public record ProbeSummary(long id, String name, String bank, long modelVersion, String modality,
                           String scoreFunction, int classes, int fitSubjects, int calibrationSubjects,
                           double calibrationAccuracy, double maxCoverage, long seed, String createdBy,
                           OffsetDateTime createdAt) {

    static ProbeSummary of(StoredProbe probe) {
        int n = probe.calibrationScores().length;
        return new ProbeSummary(probe.id(), probe.name(), probe.bank(), probe.modelVersion(), probe.modality(),
                probe.scoreFunction(), probe.probe().classes(), probe.fitSubjects(), n, probe.calibrationAccuracy(),
                (double) n / (n + 1), probe.seed(), probe.createdBy(), probe.createdAt());
    }
}
