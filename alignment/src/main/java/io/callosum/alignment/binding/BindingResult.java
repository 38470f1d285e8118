package io.callosum.alignment.binding;

import io.callosum.protocol.tensor.TensorSet;

import java.util.List;

/**
 * What a site's local alignment run gives back: the updated tensors of the heads it trained (its modalities with
 * paired subjects, and the anchor's) and of the loss, all tagged {@code shared}; the number of distinct subjects
 * that took part (the weight of this update in a weighted average); per-pair metrics; and the loss minimised at
 * every step (the mean over modality pairs of each pair's batch loss).
 */
public record BindingResult(TensorSet parameters, int subjects, List<PairMetrics> pairs, float[] stepLosses) {

    public BindingResult {
        pairs = List.copyOf(pairs);
    }
}
