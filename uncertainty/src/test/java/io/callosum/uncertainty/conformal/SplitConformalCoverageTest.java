package io.callosum.uncertainty.conformal;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.callosum.uncertainty.SyntheticClasses;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acceptance on a synthetic 3-class problem: 90% sets cover 88–92% of held-out subjects in each of 20
 * random calibration splits. With n_cal = n_test = 10 000 the per-split coverage has a standard deviation of about
 * 0.42 points (calibration and test noise together), so ±2 points is 4.7 standard deviations; with 2 000 each it
 * would be 0.95 points and one split in 30 would fall outside by chance alone.
 */
class SplitConformalCoverageTest {
    private static final double ALPHA = 0.1;
    private static final int SPLITS = 20;
    private static final int CALIBRATION = 10_000;
    private static final SyntheticClasses POOL = SyntheticClasses.generate(2 * CALIBRATION, 1, 6);

    @ParameterizedTest
    @EnumSource(ScoreFunction.class)
    void ninetyPercentSetsCoverBetween88And92PercentInEverySplit(ScoreFunction score) {
        for (int split = 0; split < SPLITS; split++) {
            SyntheticClasses[] parts = POOL.split(CALIBRATION, 1000 + split);
            ConformalPredictor predictor = ConformalPredictor.calibrate(score, Conditioning.MARGINAL,
                    parts[0].probabilities(), parts[0].labels(), ALPHA, new SplittableRandom(split));
            CoverageReport report = predictor.evaluate(parts[1].probabilities(), parts[1].labels());
            assertTrue(report.coverage() >= 0.88 && report.coverage() <= 0.92,
                    score + " split " + split + " covered " + report.coverage());
            assertTrue(report.averageSetSize() > 1 && report.averageSetSize() < SyntheticClasses.CLASSES,
                    score + " split " + split + " average set size " + report.averageSetSize());
        }
    }

    @Test
    void randomizedApsGivesSmallerSetsThanDeterministicApsAtTheSameCoverage() {
        SyntheticClasses[] parts = POOL.split(CALIBRATION, 77);
        CoverageReport plain = ConformalPredictor.calibrate(ScoreFunction.APS, Conditioning.MARGINAL,
                        parts[0].probabilities(), parts[0].labels(), ALPHA, new SplittableRandom(1))
                .evaluate(parts[1].probabilities(), parts[1].labels());
        CoverageReport randomized = ConformalPredictor.calibrate(ScoreFunction.APS_RANDOMIZED, Conditioning.MARGINAL,
                        parts[0].probabilities(), parts[0].labels(), ALPHA, new SplittableRandom(1))
                .evaluate(parts[1].probabilities(), parts[1].labels());
        assertTrue(randomized.averageSetSize() < plain.averageSetSize(),
                randomized.averageSetSize() + " vs " + plain.averageSetSize());
    }

    @Test
    void classConditionalSetsCoverEveryClassWhereMarginalSetsMissTheHardOnes() {
        SyntheticClasses pool = SyntheticClasses.generate(40_000, 1, 66);
        for (int split = 0; split < 5; split++) {
            SyntheticClasses[] parts = pool.split(20_000, 2000 + split);
            CoverageReport mondrian = ConformalPredictor.calibrate(ScoreFunction.LAC, Conditioning.CLASS_CONDITIONAL,
                            parts[0].probabilities(), parts[0].labels(), ALPHA, new SplittableRandom(split))
                    .evaluate(parts[1].probabilities(), parts[1].labels());
            for (ClassCoverage perClass : mondrian.perClass()) {
                assertTrue(perClass.coverage() >= 0.88 && perClass.coverage() <= 0.92,
                        "split " + split + " class " + perClass.label() + " covered " + perClass.coverage());
            }
            CoverageReport marginal = ConformalPredictor.calibrate(ScoreFunction.LAC, Conditioning.MARGINAL,
                            parts[0].probabilities(), parts[0].labels(), ALPHA, new SplittableRandom(split))
                    .evaluate(parts[1].probabilities(), parts[1].labels());
            double worst = marginal.perClass().stream().mapToDouble(ClassCoverage::coverage).min().orElseThrow();
            assertTrue(worst < 0.88, "marginal LAC should under-cover a hard class, worst class covered " + worst);
        }
    }
}
