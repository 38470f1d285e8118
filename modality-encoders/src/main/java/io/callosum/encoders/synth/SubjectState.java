package io.callosum.encoders.synth;

/** A subject's ground truth: site, diagnosis class and severity in [0, 1]. */
public record SubjectState(String id, int site, int diagnosis, double severity, long seed) {
}
