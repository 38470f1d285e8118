package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;

/**
 * The running examples-weighted sum of one tensor over the sites that sent it.
 *
 * <p>Sums are doubles rather than floats with Kahan compensation: a compensation array would cost the same
 * 8 bytes per element, while its dependent add-subtract chain keeps the fold from vectorizing; a double's 53-bit
 * mantissa leaves any realistic number of float32 updates (weights up to 2^53 examples) far below float32 rounding.
 */
final class WeightedSum {
    private final double[] sums;
    private double totalWeight;
    private int senders;
    private boolean taken;

    WeightedSum(long elementCount) {
        this.sums = new double[Math.toIntExact(elementCount)];
    }

    /** Adds {@code weight × update}; the update must already be validated (same element count, finite). */
    void add(NpyArray update, double weight) {
        requireNotTaken();
        ChunkReader.of(update).addScaledTo(sums, weight);
        totalWeight += weight;
        senders++;
    }

    /** Takes a mean already formed over {@code senders} sites elsewhere (a secure aggregate) as this sum. */
    void addMean(NpyArray mean, int senders) {
        requireNotTaken();
        if (this.senders > 0) {
            throw new IllegalStateException("a mean formed elsewhere cannot be combined with other updates");
        }
        ChunkReader.of(mean).addScaledTo(sums, 1.0);
        totalWeight = 1.0;
        this.senders = senders;
    }

    int senders() {
        return senders;
    }

    /** The weighted mean, computed in place over the sums: this accumulator is spent afterwards. */
    double[] takeMean() {
        requireNotTaken();
        taken = true;
        for (int i = 0; i < sums.length; i++) {
            sums[i] /= totalWeight;
        }
        return sums;
    }

    private void requireNotTaken() {
        if (taken) {
            throw new IllegalStateException("the weighted mean was already taken from this sum");
        }
    }
}
