package io.callosum.uncertainty.calibration;

import io.callosum.uncertainty.stats.Checks;
import io.callosum.uncertainty.stats.Probabilities;
import io.callosum.uncertainty.stats.UnitBins;
import java.util.ArrayList;
import java.util.List;

/**
 * Top-label reliability diagram: subjects binned by the probability of their predicted class, each bin's mean
 * confidence beside its accuracy. A calibrated model has the two equal in every bin.
 */
public record ReliabilityDiagram(List<ReliabilityBin> bins) {

    public ReliabilityDiagram {
        bins = List.copyOf(bins);
        if (bins.isEmpty()) {
            throw new IllegalArgumentException("a reliability diagram needs at least one bin");
        }
    }

    /** Bins {@code probabilities} (one row per subject) against true {@code labels} into {@code binCount} bins. */
    public static ReliabilityDiagram of(double[][] probabilities, int[] labels, int binCount) {
        int classes = Checks.probabilities(probabilities, "probabilities");
        Checks.labels(labels, probabilities.length, classes, "labels");
        UnitBins grid = new UnitBins(binCount);
        int[] counts = new int[binCount];
        double[] confidence = new double[binCount];
        int[] correct = new int[binCount];
        for (int i = 0; i < probabilities.length; i++) {
            int predicted = Probabilities.argmax(probabilities[i]);
            double top = probabilities[i][predicted];
            int bin = grid.bin(top);
            counts[bin]++;
            confidence[bin] += top;
            if (predicted == labels[i]) {
                correct[bin]++;
            }
        }
        List<ReliabilityBin> bins = new ArrayList<>(binCount);
        for (int b = 0; b < binCount; b++) {
            bins.add(new ReliabilityBin(grid.lowerEdge(b), grid.upperEdge(b), counts[b],
                    counts[b] == 0 ? Double.NaN : confidence[b] / counts[b],
                    counts[b] == 0 ? Double.NaN : (double) correct[b] / counts[b]));
        }
        return new ReliabilityDiagram(bins);
    }

    public int subjects() {
        return bins.stream().mapToInt(ReliabilityBin::count).sum();
    }

    /** ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b|. */
    public double expectedCalibrationError() {
        double n = subjects();
        return bins.stream().mapToDouble(bin -> bin.count() / n * bin.gap()).sum();
    }

    /** Overall top-label accuracy. */
    public double accuracy() {
        double n = subjects();
        return bins.stream().filter(bin -> bin.count() > 0).mapToDouble(bin -> bin.count() / n * bin.accuracy()).sum();
    }
}
