package io.callosum.alignment.binding;

import io.callosum.protocol.tensor.Modality;

/**
 * How one modality's binding to the anchor went at a site: the subjects observed in both, and the contrastive loss
 * over all of them (in fixed batches of the configured size, so before and after compare like with like) before
 * the first step and after the last.
 */
public record PairMetrics(Modality modality, Modality anchor, int subjects, double lossBefore, double lossAfter) {
}
