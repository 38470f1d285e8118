package io.callosum.uncertainty.stats;

/**
 * {@code count} equal-width bins over [0, 1]: bin 0 is [0, 1/B] and bin i &gt; 0 is (i/B, (i+1)/B], so that a value
 * rounded to its bin's upper edge never decreases. Shared by reliability diagrams and the public score grid of
 * federated calibration.
 */
public record UnitBins(int count) {

    public UnitBins {
        if (count < 1) {
            throw new IllegalArgumentException("bin count must be at least 1, got " + count);
        }
    }

    /** The bin holding {@code value}; refuses values outside [0, 1] and NaN. */
    public int bin(double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("value " + value + " lies outside [0, 1]");
        }
        int bin = Math.max(0, (int) Math.ceil(value * count) - 1);
        // value * count can round across an edge; settle on the bin whose half-open interval really holds value.
        bin = Math.min(bin, count - 1);
        while (bin < count - 1 && upperEdge(bin) < value) {
            bin++;
        }
        while (bin > 0 && lowerEdge(bin) >= value) {
            bin--;
        }
        return bin;
    }

    public double lowerEdge(int bin) {
        return (double) bin / count;
    }

    public double upperEdge(int bin) {
        return bin == count - 1 ? 1.0 : (double) (bin + 1) / count;
    }
}
