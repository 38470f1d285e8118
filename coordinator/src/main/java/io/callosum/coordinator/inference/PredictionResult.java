package io.callosum.coordinator.inference;

import java.util.List;

/**
 * The answer to a prediction request: the version and probe used, the coverage asked for, and per input subject
 * the probe's class probabilities, its most probable class and the conformal set at that coverage.
 */
public record PredictionResult(long modelVersion, String federation, ProbeSummary probe, double coverage,
                               String input, List<Prediction> predictions) {

    public record Prediction(String subject, double[] probabilities, int predicted, List<Integer> set) {
    }
}
