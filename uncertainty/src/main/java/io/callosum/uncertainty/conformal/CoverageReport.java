package io.callosum.uncertainty.conformal;

import io.callosum.uncertainty.stats.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * How conformal sets did on labelled subjects: the share whose true label was in the set (empirical coverage,
 * to compare with {@code level} = 1−α), the average set size, the share of empty sets, and the same per true class.
 */
public record CoverageReport(double level, int subjects, double coverage, double averageSetSize,
                             double emptySetFraction, List<ClassCoverage> perClass) {

    public CoverageReport {
        perClass = List.copyOf(perClass);
    }

    /** Tallies {@code sets} against the true {@code labels}, one set per subject, over {@code classes} classes. */
    public static CoverageReport of(List<PredictionSet> sets, int[] labels, int classes, double level) {
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("no prediction sets to evaluate");
        }
        Checks.labels(labels, sets.size(), classes, "labels");
        int[] subjects = new int[classes];
        int[] covered = new int[classes];
        long[] sizes = new long[classes];
        int empty = 0;
        for (int i = 0; i < labels.length; i++) {
            PredictionSet set = sets.get(i);
            int y = labels[i];
            subjects[y]++;
            sizes[y] += set.size();
            if (set.contains(y)) {
                covered[y]++;
            }
            if (set.isEmpty()) {
                empty++;
            }
        }
        List<ClassCoverage> perClass = new ArrayList<>(classes);
        long allCovered = 0;
        long allSizes = 0;
        for (int k = 0; k < classes; k++) {
            allCovered += covered[k];
            allSizes += sizes[k];
            perClass.add(new ClassCoverage(k, subjects[k],
                    subjects[k] == 0 ? Double.NaN : (double) covered[k] / subjects[k],
                    subjects[k] == 0 ? Double.NaN : (double) sizes[k] / subjects[k]));
        }
        int n = labels.length;
        return new CoverageReport(level, n, (double) allCovered / n, (double) allSizes / n, (double) empty / n,
                perClass);
    }
}
