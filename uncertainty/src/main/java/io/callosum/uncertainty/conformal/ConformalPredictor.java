package io.callosum.uncertainty.conformal;

import io.callosum.uncertainty.stats.Checks;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Turns class probabilities into prediction sets {y : s(x, y) ≤ q̂_y} with calibrated threshold(s) q̂. Build it
 * from local calibration data with {@link #calibrate}, or from thresholds agreed elsewhere (for instance pooled
 * site histograms, see {@code io.callosum.uncertainty.federated}) with {@link #of}.
 *
 * <p>With {@link ScoreFunction#APS_RANDOMIZED} each prediction draws one uniform number from the generator given at
 * construction, so such a predictor is not thread-safe; the other scores never touch it.
 */
public final class ConformalPredictor {
    private final ScoreFunction score;
    private final Threshold threshold;
    private final double alpha;
    private final RandomGenerator random;

    private ConformalPredictor(ScoreFunction score, Threshold threshold, double alpha, RandomGenerator random) {
        score.requireRandom(random);
        this.score = score;
        this.threshold = threshold;
        this.alpha = alpha;
        this.random = random;
    }

    /**
     * Calibrates on held-out subjects' probabilities and true labels at miscoverage α (sets aim at coverage 1−α).
     * Class-conditional calibration refuses a class with no calibration subject.
     *
     * @param random uniform draws for {@link ScoreFunction#APS_RANDOMIZED}, at calibration and at prediction; may be
     *               null for the other scores
     */
    public static ConformalPredictor calibrate(ScoreFunction score, Conditioning conditioning,
                                               double[][] probabilities, int[] labels, double alpha,
                                               RandomGenerator random) {
        Checks.alpha(alpha);
        int classes = Checks.probabilities(probabilities, "calibration probabilities");
        double[] scores = score.calibrationScores(probabilities, labels, random);
        Threshold threshold = switch (conditioning) {
            case MARGINAL -> new Threshold.Marginal(ConformalQuantile.of(scores, alpha));
            case CLASS_CONDITIONAL -> new Threshold.ClassConditional(perClassQuantiles(scores, labels, classes, alpha));
        };
        return new ConformalPredictor(score, threshold, alpha, random);
    }

    /** A predictor from thresholds calibrated elsewhere for the same score function and α. */
    public static ConformalPredictor of(ScoreFunction score, Threshold threshold, double alpha,
                                        RandomGenerator random) {
        Checks.alpha(alpha);
        return new ConformalPredictor(score, threshold, alpha, random);
    }

    /** The prediction set for one subject's class probabilities. */
    public PredictionSet predict(double[] probabilities) {
        requireClasses(probabilities.length);
        Checks.probabilityRow(probabilities, "probabilities");
        double u = score.draw(random);
        List<Integer> labels = new ArrayList<>();
        for (int y = 0; y < probabilities.length; y++) {
            if (score.score(probabilities, y, u) <= threshold.forLabel(y)) {
                labels.add(y);
            }
        }
        return new PredictionSet(labels, level());
    }

    /** The prediction set of every row. */
    public List<PredictionSet> predict(double[][] probabilities) {
        Checks.probabilities(probabilities, "probabilities");
        List<PredictionSet> sets = new ArrayList<>(probabilities.length);
        for (double[] row : probabilities) {
            sets.add(predict(row));
        }
        return sets;
    }

    /** Predicts every row and tallies coverage and set size against the true labels. */
    public CoverageReport evaluate(double[][] probabilities, int[] labels) {
        int classes = Checks.probabilities(probabilities, "test probabilities");
        Checks.labels(labels, probabilities.length, classes, "test labels");
        return CoverageReport.of(predict(probabilities), labels, classes, level());
    }

    public ScoreFunction score() {
        return score;
    }

    public Threshold threshold() {
        return threshold;
    }

    public double alpha() {
        return alpha;
    }

    /** The coverage level 1−α the sets aim at. */
    public double level() {
        return 1 - alpha;
    }

    private void requireClasses(int classes) {
        if (threshold instanceof Threshold.ClassConditional perClass && perClass.values().size() != classes) {
            throw new IllegalArgumentException("probabilities have " + classes + " classes but the thresholds were "
                    + "calibrated for " + perClass.values().size());
        }
    }

    private static List<Double> perClassQuantiles(double[] scores, int[] labels, int classes, double alpha) {
        int[] counts = new int[classes];
        for (int y : labels) {
            counts[y]++;
        }
        double[][] byClass = new double[classes][];
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no calibration subjects; class-conditional "
                        + "calibration needs at least one per class");
            }
            byClass[k] = new double[counts[k]];
        }
        int[] filled = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            byClass[labels[i]][filled[labels[i]]++] = scores[i];
        }
        List<Double> thresholds = new ArrayList<>(classes);
        for (int k = 0; k < classes; k++) {
            thresholds.add(ConformalQuantile.of(byClass[k], alpha));
        }
        return thresholds;
    }
}
