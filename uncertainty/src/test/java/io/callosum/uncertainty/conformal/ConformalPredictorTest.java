package io.callosum.uncertainty.conformal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConformalPredictorTest {
    private static final double[][] CALIBRATION = {{0.7, 0.2, 0.1}, {0.2, 0.5, 0.3}, {0.1, 0.1, 0.8}};
    private static final int[] LABELS = {0, 1, 2};

    @Test
    void rankIsTheFiniteSampleConformalRank() {
        assertEquals(9, ConformalQuantile.rank(9, 0.1));
        assertEquals(90, ConformalQuantile.rank(99, 0.1));
        assertEquals(91, ConformalQuantile.rank(100, 0.1));
        assertEquals(9, ConformalQuantile.rank(8, 0.1));
    }

    @Test
    void quantileIsTheRankKScoreOrInfinityWhenTooFewScores() {
        double[] scores = {0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.8, 0.4, 0.6};
        assertEquals(0.9, ConformalQuantile.of(scores, 0.1));
        assertEquals(0.5, ConformalQuantile.of(scores, 0.5));
        assertEquals(Double.POSITIVE_INFINITY, ConformalQuantile.of(new double[] {0.1, 0.2, 0.3}, 0.1));
    }

    @Test
    void scoresFollowTheirDefinitions() {
        double[] p = {0.5, 0.3, 0.2};
        assertEquals(0.7, ScoreFunction.LAC.score(p, 1, 0), 1e-12);
        assertEquals(0.5, ScoreFunction.APS.score(p, 0, 0), 1e-12);
        assertEquals(0.8, ScoreFunction.APS.score(p, 1, 0), 1e-12);
        assertEquals(1.0, ScoreFunction.APS.score(p, 2, 0), 1e-12);
        assertEquals(0.5 + 0.25 * 0.3, ScoreFunction.APS_RANDOMIZED.score(p, 1, 0.25), 1e-12);
        double[] tied = {0.4, 0.4, 0.2};
        assertEquals(0.4, ScoreFunction.APS.score(tied, 0, 0), 1e-12);
        assertEquals(0.8, ScoreFunction.APS.score(tied, 1, 0), 1e-12);
    }

    @Test
    void setHoldsExactlyTheLabelsWhoseScoreIsWithinTheThreshold() {
        ConformalPredictor predictor = ConformalPredictor.of(ScoreFunction.LAC, new Threshold.Marginal(0.75), 0.1,
                new SplittableRandom(0));
        PredictionSet set = predictor.predict(new double[] {0.5, 0.3, 0.2});
        assertEquals(List.of(0, 1), set.labels());
        assertEquals(0.9, set.level(), 1e-12);
        ConformalPredictor perClass = ConformalPredictor.of(ScoreFunction.LAC,
                new Threshold.ClassConditional(List.of(0.4, 0.75, 0.85)), 0.1, new SplittableRandom(0));
        assertEquals(List.of(1, 2), perClass.predict(new double[] {0.5, 0.3, 0.2}).labels());
    }

    @Test
    void tooFewCalibrationSubjectsForAlphaGiveFullSets() {
        ConformalPredictor predictor = ConformalPredictor.calibrate(ScoreFunction.LAC, Conditioning.MARGINAL,
                CALIBRATION, LABELS, 0.1, new SplittableRandom(0));
        assertEquals(Double.POSITIVE_INFINITY, predictor.threshold().forLabel(0));
        assertEquals(3, predictor.predict(new double[] {0.98, 0.01, 0.01}).size());
    }

    @Test
    void refusesProbabilitiesThatDoNotSumToOne() {
        double[][] bad = {{0.7, 0.2, 0.1}, {0.5, 0.3, 0.1}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> calibrate(bad, new int[] {0, 1}));
        assertTrue(e.getMessage().contains("row 1 sums to 0.9"), e.getMessage());
    }

    @Test
    void refusesNaNAndNegativeProbabilities() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> calibrate(new double[][] {{0.5, Double.NaN}}, new int[] {0}));
        assertTrue(nan.getMessage().contains("row 0 entry 1 is NaN"), nan.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> calibrate(new double[][] {{1.2, -0.2}}, new int[] {0}));
        assertTrue(negative.getMessage().contains("not a probability"), negative.getMessage());
    }

    @ParameterizedTest
    @ValueSource(doubles = {0, 1, -0.1, 1.5, Double.NaN})
    void refusesAlphaOutsideTheOpenUnitInterval(double alpha) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformalPredictor.calibrate(
                ScoreFunction.LAC, Conditioning.MARGINAL, CALIBRATION, LABELS, alpha, new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("alpha must lie in (0, 1)"), e.getMessage());
    }

    @Test
    void refusesEmptyCalibration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> calibrate(new double[0][], new int[0]));
        assertTrue(e.getMessage().contains("calibration probabilities are empty"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConformalQuantile.of(new double[0], 0.1));
    }

    @Test
    void refusesMismatchedLengthsAndUnknownLabels() {
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> calibrate(CALIBRATION, new int[] {0, 1}));
        assertTrue(lengths.getMessage().contains("mismatched lengths: 2 calibration labels but 3 rows"),
                lengths.getMessage());
        IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
                () -> calibrate(CALIBRATION, new int[] {0, 1, 3}));
        assertTrue(label.getMessage().contains("calibration labels 2 is 3"), label.getMessage());
        ConformalPredictor predictor = calibrate(CALIBRATION, LABELS);
        assertThrows(IllegalArgumentException.class, () -> predictor.evaluate(CALIBRATION, new int[] {0}));
    }

    @Test
    void classConditionalRefusesAClassWithoutCalibrationSubjects() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformalPredictor.calibrate(
                ScoreFunction.APS, Conditioning.CLASS_CONDITIONAL, CALIBRATION, new int[] {0, 0, 2}, 0.1,
                new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("class 1 has no calibration subjects"), e.getMessage());
    }

    @Test
    void classConditionalThresholdsRefuseADifferentClassCount() {
        ConformalPredictor predictor = ConformalPredictor.calibrate(ScoreFunction.LAC,
                Conditioning.CLASS_CONDITIONAL, CALIBRATION, LABELS, 0.5, new SplittableRandom(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> predictor.predict(new double[] {0.5, 0.5}));
        assertTrue(e.getMessage().contains("2 classes but the thresholds were calibrated for 3"), e.getMessage());
    }

    @Test
    void randomizedApsRefusesAMissingGenerator() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformalPredictor.calibrate(
                ScoreFunction.APS_RANDOMIZED, Conditioning.MARGINAL, CALIBRATION, LABELS, 0.1, null));
        assertTrue(e.getMessage().contains("APS_RANDOMIZED needs a random generator"), e.getMessage());
        assertEquals(3, ConformalPredictor.of(ScoreFunction.LAC, new Threshold.Marginal(1), 0.1, null)
                .predict(new double[] {0.5, 0.3, 0.2}).size());
    }

    private static ConformalPredictor calibrate(double[][] probabilities, int[] labels) {
        return ConformalPredictor.calibrate(ScoreFunction.LAC, Conditioning.MARGINAL, probabilities, labels, 0.1,
                new SplittableRandom(0));
    }
}
