package io.callosum.alignment.retrieval;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ranks, recall, median rank and chance on banks small enough to check by hand. */
class CrossModalRetrievalTest {
    /** Four subjects on the unit circle at 0°, 90°, 180° and 270°, scaled to show that length does not matter. */
    private static final SubjectEmbeddings BANK = new SubjectEmbeddings(Modality.OMICS, List.of("a", "b", "c", "d"),
            new float[][] {{2, 0}, {0, 1}, {-3, 0}, {0, -1}});

    @Test
    void ranksTheTrueMatchAmongTheWholeBank() {
        SubjectEmbeddings queries = new SubjectEmbeddings(Modality.EEG, List.of("a", "b", "c", "d"),
                new float[][] {{1, 0.1f}, {1, 0.2f}, {0, -1}, {0, -1}});
        RetrievalReport report = CrossModalRetrieval.evaluate(queries, BANK);
        // a is nearest to itself; b's query points almost at a (rank 2: a, then b); c's points at d, then a and c tie
        // (both 90° away) and the tie counts against c; d's points at d.
        assertArrayEquals(new int[] {1, 2, 3, 1}, report.ranks());
        assertEquals(0.5, report.recallAt(1));
        assertEquals(0.75, report.recallAt(2));
        assertEquals(1.0, report.recallAt(10));
        assertEquals(1.5, report.medianRank());
        assertEquals(0.25, report.chanceAt(1));
        assertEquals(1.0, report.chanceAt(10), "chance is capped at 1 once k covers the bank");
        assertEquals(2.5, report.chanceMedianRank());
        assertEquals(Modality.EEG, report.query());
        assertEquals(Modality.OMICS, report.bank());
        assertTrue(report.toString().contains("eeg→omics among 4: R@1 0.500 (chance 0.250)"), report.toString());
    }

    @Test
    void nearestListsTheMostSimilarFirst() {
        List<Match> top = CrossModalRetrieval.nearest(new float[] {1, 0.5f}, BANK, 2);
        assertEquals(List.of("a", "b"), top.stream().map(Match::subject).toList());
        assertEquals(1 / Math.sqrt(1.25), top.get(0).cosine(), 1e-6);
        assertEquals(4, CrossModalRetrieval.nearest(new float[] {1, 0}, BANK, 10).size());
    }

    @Test
    void refusesQueriesOutsideTheBankOtherWidthsAndZeroVectors() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> CrossModalRetrieval.evaluate(new SubjectEmbeddings(Modality.EEG, List.of("z"),
                        new float[][] {{1, 0}}), BANK));
        assertTrue(refusal.getMessage().contains("query subject 'z' (eeg) is not in the omics bank of 4"),
                refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class,
                () -> CrossModalRetrieval.nearest(new float[] {1, 0, 0}, BANK, 1));
        assertTrue(refusal.getMessage().contains("3 values, the omics bank's 2"), refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class,
                () -> CrossModalRetrieval.nearest(new float[] {0, 0}, BANK, 1));
        assertTrue(refusal.getMessage().contains("norm 0.0"), refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class, () -> CrossModalRetrieval.nearest(new float[] {1, 0},
                BANK, 0));
        assertTrue(refusal.getMessage().contains("k must be at least 1"), refusal.getMessage());
    }
}
