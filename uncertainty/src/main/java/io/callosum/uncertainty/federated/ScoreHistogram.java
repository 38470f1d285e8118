package io.callosum.uncertainty.federated;

import io.callosum.uncertainty.conformal.Conditioning;
import io.callosum.uncertainty.conformal.ConformalQuantile;
import io.callosum.uncertainty.conformal.ScoreFunction;
import io.callosum.uncertainty.conformal.Threshold;
import io.callosum.uncertainty.stats.Checks;
import io.callosum.uncertainty.stats.UnitBins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Counts of nonconformity scores on a public grid of bins over [0, 1]: {@code counts[row][bin]}, one row for
 * {@link Conditioning#MARGINAL} and one per true class for {@link Conditioning#CLASS_CONDITIONAL}. This is all a
 * site shares of its calibration data; see the package documentation for the guarantee kept.
 */
public record ScoreHistogram(UnitBins grid, Conditioning conditioning, long[][] counts) {

    public ScoreHistogram {
        if (grid == null || conditioning == null || counts == null) {
            throw new IllegalArgumentException("histogram grid, conditioning and counts are required");
        }
        int rows = counts.length;
        if (conditioning == Conditioning.MARGINAL ? rows != 1 : rows < 2) {
            throw new IllegalArgumentException(conditioning + " histogram cannot have " + rows + " rows of counts ("
                    + (conditioning == Conditioning.MARGINAL ? "expected 1" : "expected one per class, at least 2")
                    + ")");
        }
        long[][] copy = new long[rows][];
        for (int r = 0; r < rows; r++) {
            if (counts[r] == null || counts[r].length != grid.count()) {
                throw new IllegalArgumentException("histogram row " + r + " has "
                        + (counts[r] == null ? 0 : counts[r].length) + " bins, the grid has " + grid.count());
            }
            for (int b = 0; b < grid.count(); b++) {
                if (counts[r][b] < 0) {
                    throw new IllegalArgumentException(
                            "histogram row " + r + " bin " + b + " has a negative count " + counts[r][b]);
                }
            }
            copy[r] = counts[r].clone();
        }
        counts = copy;
    }

    /**
     * A site's histogram: scores its calibration subjects' true labels with {@code score} and counts them.
     *
     * @param random uniform draws for {@link ScoreFunction#APS_RANDOMIZED}; not touched otherwise
     */
    public static ScoreHistogram atSite(ScoreFunction score, Conditioning conditioning, UnitBins grid,
                                        double[][] probabilities, int[] labels, RandomGenerator random) {
        int classes = Checks.probabilities(probabilities, "calibration probabilities");
        return of(grid, conditioning, score.calibrationScores(probabilities, labels, random), labels, classes);
    }

    /** Counts given scores in [0, 1]; {@code labels} picks the row under class-conditional counting. */
    public static ScoreHistogram of(UnitBins grid, Conditioning conditioning, double[] scores, int[] labels,
                                    int classes) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException("calibration scores are empty");
        }
        Checks.labels(labels, scores.length, classes, "calibration labels");
        long[][] counts = new long[conditioning == Conditioning.MARGINAL ? 1 : classes][grid.count()];
        for (int i = 0; i < scores.length; i++) {
            int row = conditioning == Conditioning.MARGINAL ? 0 : labels[i];
            int bin;
            try {
                bin = grid.bin(scores[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("calibration score " + i + ": " + e.getMessage(), e);
            }
            counts[row][bin]++;
        }
        return new ScoreHistogram(grid, conditioning, counts);
    }

    @Override
    public long[][] counts() {
        long[][] copy = new long[counts.length][];
        for (int r = 0; r < counts.length; r++) {
            copy[r] = counts[r].clone();
        }
        return copy;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScoreHistogram h && grid.equals(h.grid) && conditioning == h.conditioning
                && Arrays.deepEquals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(grid, conditioning, Arrays.deepHashCode(counts));
    }

    @Override
    public String toString() {
        return "ScoreHistogram[" + grid.count() + " bins, " + conditioning + ", " + counts.length + " row(s), "
                + total() + " scores]";
    }

    /** Number of scores counted, over all rows. */
    public long total() {
        long total = 0;
        for (long[] row : counts) {
            for (long c : row) {
                total += c;
            }
        }
        return total;
    }

    /**
     * The conservative conformal threshold at miscoverage α: per row, the upper edge of the bin holding the
     * ⌈(n+1)(1−α)⌉-th smallest score, or +∞ when that rank exceeds n. Refuses an empty row (a class without
     * calibration subjects).
     */
    public Threshold threshold(double alpha) {
        Checks.alpha(alpha);
        if (conditioning == Conditioning.MARGINAL) {
            return new Threshold.Marginal(rowThreshold(0, alpha));
        }
        List<Double> perClass = new ArrayList<>(counts.length);
        for (int r = 0; r < counts.length; r++) {
            perClass.add(rowThreshold(r, alpha));
        }
        return new Threshold.ClassConditional(perClass);
    }

    /** Bin-wise sum with another histogram on the same grid, conditioning and classes. */
    ScoreHistogram plus(ScoreHistogram other) {
        if (!grid.equals(other.grid)) {
            throw new IllegalArgumentException("grid of " + other.grid.count() + " bins, expected " + grid.count());
        }
        if (conditioning != other.conditioning) {
            throw new IllegalArgumentException(other.conditioning + " counts, expected " + conditioning);
        }
        if (counts.length != other.counts.length) {
            throw new IllegalArgumentException(other.counts.length + " classes, expected " + counts.length);
        }
        long[][] sum = new long[counts.length][grid.count()];
        for (int r = 0; r < counts.length; r++) {
            for (int b = 0; b < grid.count(); b++) {
                sum[r][b] = Math.addExact(counts[r][b], other.counts[r][b]);
            }
        }
        return new ScoreHistogram(grid, conditioning, sum);
    }

    private double rowThreshold(int row, double alpha) {
        long n = 0;
        for (long c : counts[row]) {
            n += c;
        }
        if (n == 0) {
            throw new IllegalArgumentException(conditioning == Conditioning.MARGINAL
                    ? "histogram holds no calibration scores"
                    : "class " + row + " has no calibration scores in the histogram");
        }
        int k = ConformalQuantile.rank(n, alpha);
        if (k > n) {
            return Double.POSITIVE_INFINITY;
        }
        long cumulative = 0;
        for (int b = 0; b < grid.count(); b++) {
            cumulative += counts[row][b];
            if (cumulative >= k) {
                return grid.upperEdge(b);
            }
        }
        throw new IllegalStateException("rank " + k + " beyond " + n + " counted scores");
    }
}
