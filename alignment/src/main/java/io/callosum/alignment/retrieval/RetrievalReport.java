package io.callosum.alignment.retrieval;

import io.callosum.protocol.tensor.Modality;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Cross-modal retrieval of every query subject's own record in a reference bank of another modality: the rank of
 * the true match (1 = ranked first; ties count against it) for each query, in query order, among {@code bankSize}
 * subjects.
 */
public record RetrievalReport(Modality query, Modality bank, List<String> subjects, int[] ranks, int bankSize) {

    public RetrievalReport {
        subjects = List.copyOf(subjects);
        if (subjects.size() != ranks.length) {
            throw new IllegalArgumentException(subjects.size() + " subjects for " + ranks.length + " ranks");
        }
        ranks = ranks.clone();
    }

    /** Recall@k: the fraction of queries whose own record is among the k best-ranked. */
    public double recallAt(int k) {
        checkK(k);
        return (double) Arrays.stream(ranks).filter(rank -> rank <= k).count() / ranks.length;
    }

    /** What Recall@k is by chance, ranking the bank at random: k / bank size (at most 1). */
    public double chanceAt(int k) {
        checkK(k);
        return Math.min(1.0, (double) k / bankSize);
    }

    /** The median rank of the true match (the mean of the two middle ranks for an even number of queries). */
    public double medianRank() {
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /** The median rank by chance: (bank size + 1) / 2. */
    public double chanceMedianRank() {
        return (bankSize + 1) / 2.0;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "%s→%s among %d: R@1 %.3f (chance %.3f), R@10 %.3f (chance %.3f), median rank %.1f (chance %.1f)",
                query, bank, bankSize, recallAt(1), chanceAt(1), recallAt(10), chanceAt(10), medianRank(),
                chanceMedianRank());
    }

    private static void checkK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
    }
}
