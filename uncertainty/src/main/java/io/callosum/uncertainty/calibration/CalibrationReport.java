package io.callosum.uncertainty.calibration;

import io.callosum.uncertainty.stats.Probabilities;

/**
 * Temperature scaling fitted on calibration subjects and judged on evaluation subjects: the fitted T and the
 * reliability diagrams (hence ECE) of the evaluation subjects before and after.
 */
public record CalibrationReport(double temperature, ReliabilityDiagram before, ReliabilityDiagram after) {

    /** Fits T on the calibration logits and compares the evaluation subjects' calibration at T = 1 and at T. */
    public static CalibrationReport of(double[][] calibrationLogits, int[] calibrationLabels,
                                       double[][] evaluationLogits, int[] evaluationLabels, int binCount) {
        TemperatureScaling scaling = TemperatureScaling.fit(calibrationLogits, calibrationLabels);
        ReliabilityDiagram before = ReliabilityDiagram.of(
                Probabilities.softmax(evaluationLogits, 1), evaluationLabels, binCount);
        ReliabilityDiagram after = ReliabilityDiagram.of(
                scaling.calibrate(evaluationLogits), evaluationLabels, binCount);
        return new CalibrationReport(scaling.temperature(), before, after);
    }

    public double eceBefore() {
        return before.expectedCalibrationError();
    }

    public double eceAfter() {
        return after.expectedCalibrationError();
    }
}
