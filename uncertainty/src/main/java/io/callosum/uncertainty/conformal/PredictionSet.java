package io.callosum.uncertainty.conformal;

import java.util.List;

/**
 * The labels a conformal predictor cannot rule out for one subject, in increasing order, at coverage level
 * {@code level} = 1−α. An empty set is legitimate: no label conforms (seen mostly with the APS scores).
 */
public record PredictionSet(List<Integer> labels, double level) {

    public PredictionSet {
        labels = List.copyOf(labels);
    }

    public boolean contains(int label) {
        return labels.contains(label);
    }

    public int size() {
        return labels.size();
    }

    public boolean isEmpty() {
        return labels.isEmpty();
    }
}
