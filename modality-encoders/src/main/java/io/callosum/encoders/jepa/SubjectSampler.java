package io.callosum.encoders.jepa;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Draws the subjects of training batches as a {@link BatchSampling} asks: a stratum is drawn by its share, then a
 * subject within it uniformly. Uniform sampling is one stratum of every subject and takes one draw of the random
 * generator per subject, as a plain uniform draw does.
 */
final class SubjectSampler {
    private final int[][] strata;
    private final double[] cumulativeShares;

    private SubjectSampler(int[][] strata, double[] cumulativeShares) {
        this.strata = strata;
        this.cumulativeShares = cumulativeShares;
    }

    /** {@code diagnoses}: one per subject, {@code -1} where none is recorded. */
    static SubjectSampler of(int[] diagnoses, BatchSampling sampling) {
        if (diagnoses.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one subject to draw from");
        }
        if (sampling == BatchSampling.UNIFORM) {
            return new SubjectSampler(new int[][] {IntStream.range(0, diagnoses.length).toArray()}, new double[] {1});
        }
        Map<Integer, List<Integer>> byDiagnosis = new TreeMap<>();
        for (int subject = 0; subject < diagnoses.length; subject++) {
            byDiagnosis.computeIfAbsent(Math.max(diagnoses[subject], -1), d -> new ArrayList<>()).add(subject);
        }
        int unlabelled = byDiagnosis.getOrDefault(-1, List.of()).size();
        int classes = byDiagnosis.size() - (unlabelled > 0 ? 1 : 0);
        double labelledShare = (double) (diagnoses.length - unlabelled) / diagnoses.length;
        int[][] strata = new int[byDiagnosis.size()][];
        double[] cumulative = new double[strata.length];
        double total = 0;
        int k = 0;
        for (Map.Entry<Integer, List<Integer>> stratum : byDiagnosis.entrySet()) {
            strata[k] = stratum.getValue().stream().mapToInt(Integer::intValue).toArray();
            total += stratum.getKey() < 0 ? 1 - labelledShare : labelledShare / classes;
            cumulative[k++] = total;
        }
        cumulative[strata.length - 1] = 1;
        return new SubjectSampler(strata, cumulative);
    }

    int next(Random random) {
        int[] stratum = strata[0];
        if (strata.length > 1) {
            double u = random.nextDouble();
            int k = 0;
            while (u >= cumulativeShares[k]) {
                k++;
            }
            stratum = strata[k];
        }
        return stratum[random.nextInt(stratum.length)];
    }
}
