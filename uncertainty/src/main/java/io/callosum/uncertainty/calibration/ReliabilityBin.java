package io.callosum.uncertainty.calibration;

/**
 * One confidence bin (lower, upper] of a reliability diagram: how many subjects' top-label confidence fell in it,
 * their mean confidence and the share whose top label was right. Confidence and accuracy are NaN in an empty bin.
 */
public record ReliabilityBin(double lower, double upper, int count, double confidence, double accuracy) {

    /** |accuracy − confidence|, 0 for an empty bin. */
    public double gap() {
        return count == 0 ? 0 : Math.abs(accuracy - confidence);
    }
}
