package io.callosum.uncertainty.conformal;

import io.callosum.uncertainty.stats.Checks;
import java.util.random.RandomGenerator;

/**
 * Nonconformity scores for a row of class probabilities p and a candidate label y; larger means the label fits
 * worse. Every score lies in [0, 1], which the public grid of federated calibration relies on.
 *
 * <p>APS ranks classes by decreasing probability, ties broken by the lower class index.
 */
public enum ScoreFunction {
    /** Least ambiguous set-valued classifier: 1 − p_y. */
    LAC {
        @Override
        public double score(double[] probabilities, int label, double u) {
            return 1 - probabilities[label];
        }
    },
    /** Adaptive prediction sets, non-randomized: the mass of the classes ranked above y, plus p_y. */
    APS {
        @Override
        public double score(double[] probabilities, int label, double u) {
            return Math.min(1, massRankedAbove(probabilities, label) + probabilities[label]);
        }
    },
    /** Adaptive prediction sets, randomized: the mass of the classes ranked above y, plus u · p_y. */
    APS_RANDOMIZED {
        @Override
        public double score(double[] probabilities, int label, double u) {
            return Math.min(1, massRankedAbove(probabilities, label) + u * probabilities[label]);
        }

        @Override
        public boolean randomized() {
            return true;
        }
    };

    /**
     * The score of {@code label} under {@code probabilities}.
     *
     * @param u a uniform draw in [0, 1), shared by all labels of one subject; ignored unless {@link #randomized()}
     */
    public abstract double score(double[] probabilities, int label, double u);

    /** Whether {@link #score} uses its uniform draw. */
    public boolean randomized() {
        return false;
    }

    /**
     * The score of each calibration subject's true label; {@code random} supplies one uniform draw per subject for
     * the randomized score and is not touched otherwise (it may then be null).
     */
    public double[] calibrationScores(double[][] probabilities, int[] labels, RandomGenerator random) {
        requireRandom(random);
        int classes = Checks.probabilities(probabilities, "calibration probabilities");
        Checks.labels(labels, probabilities.length, classes, "calibration labels");
        double[] scores = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            scores[i] = score(probabilities[i], labels[i], draw(random));
        }
        return scores;
    }

    /** Refuses a missing generator for a randomized score. */
    void requireRandom(RandomGenerator random) {
        if (randomized() && random == null) {
            throw new IllegalArgumentException(this + " needs a random generator for its uniform draws");
        }
    }

    /** A uniform draw for one subject when this score is randomized, else 0 without touching {@code random}. */
    double draw(RandomGenerator random) {
        return randomized() ? random.nextDouble() : 0;
    }

    private static double massRankedAbove(double[] probabilities, int label) {
        double own = probabilities[label];
        double mass = 0;
        for (int j = 0; j < probabilities.length; j++) {
            if (probabilities[j] > own || (probabilities[j] == own && j < label)) {
                mass += probabilities[j];
            }
        }
        return mass;
    }
}
