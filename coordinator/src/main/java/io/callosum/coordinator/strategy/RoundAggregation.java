package io.callosum.coordinator.strategy;

import io.callosum.protocol.federation.ModalityExamples;
import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;
import java.util.Set;

/**
 * One round's aggregation. Updates are folded into a running sum as they arrive and may be released right after
 * {@link #add}, so memory grows with the model, not with the number of sites.
 */
public interface RoundAggregation {

    /**
     * Validates the whole update first (throws {@link UpdateRejectedException}, accumulator untouched), then folds it
     * in, per tensor over the sites that sent it, each tensor weighted by the examples of its modality.
     */
    void add(String site, TensorSet update, ModalityExamples examples);

    /** As {@link #add(String, TensorSet, ModalityExamples)} with one count for every tensor (a plain Flower client). */
    default void add(String site, TensorSet update, long examples) {
        if (examples <= 0) {
            throw new UpdateRejectedException(site, "examples must be > 0, got " + examples);
        }
        add(site, update, ModalityExamples.uniform(examples));
    }

    /**
     * Folds in the securely aggregated mean of {@code sites}' updates, the only form in which a secure round ever
     * has them: per tensor, the new value and how many of the sites sent it. Validated like a site's update; a
     * round takes one secure mean and no individual updates.
     */
    void addSecureMean(Set<String> sites, TensorSet mean, Map<String, Integer> sendersPerTensor);

    Set<String> contributors();

    /**
     * The next global model. Tensors no site sent this round are carried over unchanged (and their optimizer moments
     * too). Throws IllegalStateException when nobody contributed.
     */
    AggregationResult finish();
}
