package io.callosum.site.training;

import java.util.Map;

/**
 * A site's answer to an evaluation round; only aggregates. {@code loss} is the JEPA objective the round trains with
 * (prediction loss plus the weighted anti-collapse term, over fixed masks) on the held-out subjects, averaged over
 * modalities weighted by their held-out subjects; {@code examples} is the held-out subjects summed over modalities.
 * Metrics per modality: {@code loss.<tag>}, {@code prediction_loss.<tag>}, {@code examples.<tag>},
 * {@code probe_accuracy.<tag>} (a linear probe fitted on the training subjects' embeddings, scored on the held-out
 * ones; absent when the site's subjects have no diagnosis) and {@code effective_rank.<tag>} (RankMe of all the site's
 * subjects' embeddings as a fraction of the dimension: the held-out subjects alone are too few to show the rank).
 */
public record EvaluationOutcome(double loss, long examples, Map<String, Double> metrics) {

    public EvaluationOutcome {
        metrics = Map.copyOf(metrics);
    }
}
