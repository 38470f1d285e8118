package io.callosum.encoders.synth;

/**
 * A subject's ground truth: site, diagnosis class, severity in [0, 1], and the phenotype every one of its
 * modalities expresses (what identifies the subject across modalities, beyond its diagnosis).
 */
public record SubjectState(String id, int site, int diagnosis, double severity, Phenotype phenotype, long seed) {
}
