package io.callosum.uncertainty.ood;

import java.util.Arrays;

/**
 * Area under the ROC curve for telling out-of-distribution from in-distribution subjects by a score that is higher
 * out of distribution: the probability that a random out-of-distribution subject scores above a random
 * in-distribution one, ties counted as one half. 1 separates perfectly, 0.5 is chance.
 */
public final class Auroc {
    private Auroc() {
    }

    /** Computed from mid-ranks of the pooled scores (Mann–Whitney U), O(n log n). */
    public static double of(double[] inDistribution, double[] outOfDistribution) {
        requireScores(inDistribution, "in-distribution scores");
        requireScores(outOfDistribution, "out-of-distribution scores");
        int nIn = inDistribution.length;
        int nOut = outOfDistribution.length;
        int n = nIn + nOut;
        double[] scores = new double[n];
        System.arraycopy(inDistribution, 0, scores, 0, nIn);
        System.arraycopy(outOfDistribution, 0, scores, nIn, nOut);
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double outRankSum = 0;
        int start = 0;
        while (start < n) {
            int end = start;
            while (end + 1 < n && scores[order[end + 1]] == scores[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1;
            for (int i = start; i <= end; i++) {
                if (order[i] >= nIn) {
                    outRankSum += midRank;
                }
            }
            start = end + 1;
        }
        double u = outRankSum - nOut * (nOut + 1) / 2.0;
        return u / ((double) nIn * nOut);
    }

    private static void requireScores(double[] scores, String what) {
        if (scores == null || scores.length == 0) {
            throw new IllegalArgumentException(what + " are empty");
        }
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException(what + " entry " + i + " is NaN");
            }
        }
    }
}
