package io.callosum.uncertainty.calibration;

import io.callosum.uncertainty.stats.Checks;
import io.callosum.uncertainty.stats.Probabilities;

/**
 * Temperature scaling: calibrated probabilities softmax(z / T) with one T &gt; 0 for all subjects. T &gt; 1 softens
 * an over-confident model, T &lt; 1 sharpens an under-confident one.
 */
public record TemperatureScaling(double temperature) {
    /** Search range for T; a fit at an end means the logits carry almost no (or a perfectly separating) signal. */
    public static final double MIN_TEMPERATURE = 0.01;
    public static final double MAX_TEMPERATURE = 100;
    private static final double LOG_T_TOLERANCE = 1e-6;
    private static final double INVERSE_GOLDEN = (Math.sqrt(5) - 1) / 2;

    public TemperatureScaling {
        Checks.temperature(temperature);
    }

    /**
     * Fits T by minimizing the mean negative log-likelihood of {@code labels} under softmax(logits / T), with a
     * golden-section search on log T over [{@value #MIN_TEMPERATURE}, {@value #MAX_TEMPERATURE}]. The NLL is convex
     * in 1/T, hence unimodal in log T, so the search finds the minimum on that range.
     */
    public static TemperatureScaling fit(double[][] logits, int[] labels) {
        int classes = Checks.finiteMatrix(logits, "calibration logits");
        Checks.labels(labels, logits.length, classes, "calibration labels");
        double low = Math.log(MIN_TEMPERATURE);
        double high = Math.log(MAX_TEMPERATURE);
        double left = high - INVERSE_GOLDEN * (high - low);
        double right = low + INVERSE_GOLDEN * (high - low);
        double leftLoss = meanNll(logits, labels, Math.exp(left));
        double rightLoss = meanNll(logits, labels, Math.exp(right));
        while (high - low > LOG_T_TOLERANCE) {
            if (leftLoss <= rightLoss) {
                high = right;
                right = left;
                rightLoss = leftLoss;
                left = high - INVERSE_GOLDEN * (high - low);
                leftLoss = meanNll(logits, labels, Math.exp(left));
            } else {
                low = left;
                left = right;
                leftLoss = rightLoss;
                right = low + INVERSE_GOLDEN * (high - low);
                rightLoss = meanNll(logits, labels, Math.exp(right));
            }
        }
        return new TemperatureScaling(Math.exp((low + high) / 2));
    }

    /** Mean negative log-likelihood of the true labels under softmax(logits / T). */
    public static double negativeLogLikelihood(double[][] logits, int[] labels, double temperature) {
        int classes = Checks.finiteMatrix(logits, "logits");
        Checks.labels(labels, logits.length, classes, "labels");
        Checks.temperature(temperature);
        return meanNll(logits, labels, temperature);
    }

    /** Calibrated probabilities softmax(logits / T), one row per subject. */
    public double[][] calibrate(double[][] logits) {
        return Probabilities.softmax(logits, temperature);
    }

    private static double meanNll(double[][] logits, int[] labels, double temperature) {
        double total = 0;
        double[] scaled = new double[logits[0].length];
        for (int i = 0; i < logits.length; i++) {
            for (int j = 0; j < scaled.length; j++) {
                scaled[j] = logits[i][j] / temperature;
            }
            total += Probabilities.logSumExp(scaled) - scaled[labels[i]];
        }
        return total / logits.length;
    }
}
