package io.callosum.uncertainty.federated;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callosum.uncertainty.SyntheticClasses;
import io.callosum.uncertainty.conformal.Conditioning;
import io.callosum.uncertainty.conformal.ConformalPredictor;
import io.callosum.uncertainty.conformal.ConformalQuantile;
import io.callosum.uncertainty.conformal.CoverageReport;
import io.callosum.uncertainty.conformal.PredictionSet;
import io.callosum.uncertainty.conformal.ScoreFunction;
import io.callosum.uncertainty.conformal.Threshold;
import io.callosum.uncertainty.stats.UnitBins;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FederatedCalibrationTest {
    private static final double ALPHA = 0.1;
    private static final UnitBins GRID = new UnitBins(50);
    private static final int[] SITE_SIZES = {400, 1100, 2000, 2500};
    private static final int TEST = 6000;

    /** Four sites' calibration subjects and one held-out test set, all from the same mixture (exchangeable). */
    private record Federation(Map<String, double[]> scores, Map<String, int[]> labels, SyntheticClasses test) {
        static Federation generate(ScoreFunction score, long seed) {
            int calibration = Arrays.stream(SITE_SIZES).sum();
            SyntheticClasses[] parts = SyntheticClasses.generate(calibration + TEST, 1, seed).split(calibration, seed);
            Map<String, double[]> scores = new LinkedHashMap<>();
            Map<String, int[]> labels = new LinkedHashMap<>();
            SplittableRandom random = new SplittableRandom(seed);
            int from = 0;
            for (int s = 0; s < SITE_SIZES.length; s++) {
                int[] rows = new int[SITE_SIZES[s]];
                Arrays.setAll(rows, i -> i);
                for (int i = 0; i < rows.length; i++) {
                    rows[i] += from;
                }
                SyntheticClasses site = parts[0].rows(rows);
                scores.put("site-" + s, score.calibrationScores(site.probabilities(), site.labels(), random));
                labels.put("site-" + s, site.labels());
                from += SITE_SIZES[s];
            }
            return new Federation(scores, labels, parts[1]);
        }

        Map<String, ScoreHistogram> histograms(Conditioning conditioning) {
            Map<String, ScoreHistogram> bySite = new LinkedHashMap<>();
            scores.forEach((site, s) -> bySite.put(site,
                    ScoreHistogram.of(GRID, conditioning, s, labels.get(site), SyntheticClasses.CLASSES)));
            return bySite;
        }

        double[] pooledScores() {
            return scores.values().stream().flatMapToDouble(Arrays::stream).toArray();
        }

        int[] pooledLabels() {
            return labels.values().stream().flatMapToInt(Arrays::stream).toArray();
        }
    }

    @ParameterizedTest
    @EnumSource(ScoreFunction.class)
    void histogramQuantileCoversAtLeastAsMuchAsThePooledExactOneWithSetsNoSmaller(ScoreFunction score) {
        Federation federation = Federation.generate(score, 61);
        ScoreHistogram pooled = FederatedCalibration.pool(federation.histograms(Conditioning.MARGINAL));
        assertEquals(Arrays.stream(SITE_SIZES).sum(), pooled.total());
        double[] all = federation.pooledScores();
        assertEquals(ScoreHistogram.of(GRID, Conditioning.MARGINAL, all, federation.pooledLabels(), 3), pooled,
                "pooled counts equal the histogram of all scores at one place");

        double exact = ConformalQuantile.of(all, ALPHA);
        double binned = pooled.threshold(ALPHA).forLabel(0);
        assertTrue(binned >= exact && binned - exact < 1.0 / GRID.count(), exact + " -> " + binned);

        SyntheticClasses test = federation.test();
        List<PredictionSet> exactSets = predictor(score, new Threshold.Marginal(exact)).predict(test.probabilities());
        List<PredictionSet> binnedSets = predictor(score, pooled.threshold(ALPHA)).predict(test.probabilities());
        for (int i = 0; i < exactSets.size(); i++) {
            assertTrue(binnedSets.get(i).labels().containsAll(exactSets.get(i).labels()),
                    "subject " + i + ": " + exactSets.get(i) + " not inside " + binnedSets.get(i));
        }
        CoverageReport exactReport = CoverageReport.of(exactSets, test.labels(), 3, 1 - ALPHA);
        CoverageReport binnedReport = CoverageReport.of(binnedSets, test.labels(), 3, 1 - ALPHA);
        assertTrue(binnedReport.coverage() >= exactReport.coverage());
        assertTrue(binnedReport.coverage() >= 0.88, "federated coverage " + binnedReport.coverage());
        assertTrue(binnedReport.averageSetSize() >= exactReport.averageSetSize());

        double[] testScores = trueLabelScores(score, test);
        int bin = GRID.bin(exact);
        double binMass = Arrays.stream(testScores).filter(s -> GRID.bin(s) == bin).count() / (double) TEST;
        assertTrue(binnedReport.coverage() - exactReport.coverage() <= binMass + 1e-12,
                "over-coverage " + (binnedReport.coverage() - exactReport.coverage()) + " beyond one bin " + binMass);
    }

    @Test
    void classConditionalHistogramsKeepPerClassCoverage() {
        Federation federation = Federation.generate(ScoreFunction.LAC, 62);
        Threshold binned = FederatedCalibration.pool(federation.histograms(Conditioning.CLASS_CONDITIONAL))
                .threshold(ALPHA);
        double[] all = federation.pooledScores();
        int[] labels = federation.pooledLabels();
        for (int k = 0; k < SyntheticClasses.CLASSES; k++) {
            int label = k;
            double[] ofClass = IntStream.range(0, all.length).filter(i -> labels[i] == label)
                    .mapToDouble(i -> all[i]).toArray();
            double exact = ConformalQuantile.of(ofClass, ALPHA);
            assertTrue(binned.forLabel(k) >= exact && binned.forLabel(k) - exact < 1.0 / GRID.count(),
                    "class " + k + ": " + exact + " -> " + binned.forLabel(k));
        }
        CoverageReport report = predictor(ScoreFunction.LAC, binned)
                .evaluate(federation.test().probabilities(), federation.test().labels());
        report.perClass().forEach(c -> assertTrue(c.coverage() >= 0.87,
                "class " + c.label() + " covered " + c.coverage()));
    }

    @Test
    void perSiteThresholdsFallBackToFullSetsForASiteTooSmallForAlpha() {
        Map<String, ScoreHistogram> bySite = new LinkedHashMap<>(
                Federation.generate(ScoreFunction.LAC, 63).histograms(Conditioning.MARGINAL));
        bySite.put("tiny", ScoreHistogram.of(GRID, Conditioning.MARGINAL, new double[] {0.1, 0.2, 0.3},
                new int[] {0, 1, 2}, 3));
        Map<String, Threshold> perSite = FederatedCalibration.perSite(bySite, ALPHA);
        assertEquals(Double.POSITIVE_INFINITY, perSite.get("tiny").forLabel(0));
        assertTrue(perSite.get("site-3").forLabel(0) <= 1);
    }

    @Test
    void conservativeQuantileIsTheUpperEdgeOfTheRankKBin() {
        long[] counts = new long[10];
        counts[2] = 5;
        counts[7] = 4;
        ScoreHistogram histogram = new ScoreHistogram(new UnitBins(10), Conditioning.MARGINAL, new long[][] {counts});
        assertEquals(0.3, histogram.threshold(0.5).forLabel(0), 1e-12);
        assertEquals(0.8, histogram.threshold(0.1).forLabel(0), 1e-12);
    }

    @Test
    void refusesHistogramsThatDoNotShareAGridOrConditioning() {
        Map<String, ScoreHistogram> bySite = new LinkedHashMap<>();
        bySite.put("north", ScoreHistogram.of(GRID, Conditioning.MARGINAL, new double[] {0.5}, new int[] {0}, 2));
        bySite.put("south", ScoreHistogram.of(new UnitBins(20), Conditioning.MARGINAL, new double[] {0.5},
                new int[] {0}, 2));
        IllegalArgumentException grid = assertThrows(IllegalArgumentException.class,
                () -> FederatedCalibration.pool(bySite));
        assertTrue(grid.getMessage().contains("site south does not match site north: grid of 20 bins, expected 50"),
                grid.getMessage());
        bySite.put("south", ScoreHistogram.of(GRID, Conditioning.CLASS_CONDITIONAL, new double[] {0.5},
                new int[] {0}, 2));
        IllegalArgumentException conditioning = assertThrows(IllegalArgumentException.class,
                () -> FederatedCalibration.pool(bySite));
        assertTrue(conditioning.getMessage().contains("CLASS_CONDITIONAL counts, expected MARGINAL"), conditioning.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FederatedCalibration.pool(Map.of()));
    }

    @Test
    void refusesNegativeCountsScoresOutsideTheGridAndEmptyClasses() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> new ScoreHistogram(
                new UnitBins(2), Conditioning.MARGINAL, new long[][] {{3, -1}}));
        assertTrue(negative.getMessage().contains("negative count"), negative.getMessage());
        IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> ScoreHistogram.of(
                GRID, Conditioning.MARGINAL, new double[] {0.2, 1.5}, new int[] {0, 1}, 2));
        assertTrue(outside.getMessage().contains("calibration score 1: value 1.5 lies outside [0, 1]"),
                outside.getMessage());
        ScoreHistogram oneClassEmpty = ScoreHistogram.of(GRID, Conditioning.CLASS_CONDITIONAL,
                new double[] {0.2, 0.4}, new int[] {0, 0}, 2);
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> oneClassEmpty.threshold(ALPHA));
        assertTrue(empty.getMessage().contains("class 1 has no calibration scores"), empty.getMessage());
    }

    private static ConformalPredictor predictor(ScoreFunction score, Threshold threshold) {
        return ConformalPredictor.of(score, threshold, ALPHA, new SplittableRandom(99));
    }

    private static double[] trueLabelScores(ScoreFunction score, SyntheticClasses test) {
        SplittableRandom random = new SplittableRandom(99);
        List<Double> scores = new ArrayList<>();
        double[][] p = test.probabilities();
        for (int i = 0; i < p.length; i++) {
            scores.add(score.score(p[i], test.labels()[i], score.randomized() ? random.nextDouble() : 0));
        }
        return scores.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
