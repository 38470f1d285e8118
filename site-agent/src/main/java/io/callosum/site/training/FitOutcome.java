package io.callosum.site.training;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;

/**
 * A site's answer to a fit round: its updated tensors (only the modalities it holds), the training subjects summed
 * over modalities, and metrics: per modality {@code loss.<tag>}, {@code prediction_loss.<tag>} and
 * {@code regularizer.<tag>} (means over the round's local steps) and {@code examples.<tag>}; {@code train_seconds}.
 */
public record FitOutcome(TensorSet update, long examples, Map<String, Double> metrics) {

    public FitOutcome {
        metrics = Map.copyOf(metrics);
    }
}
