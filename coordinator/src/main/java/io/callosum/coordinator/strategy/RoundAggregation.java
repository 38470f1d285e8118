package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Set;

/**
 * One round's aggregation. Updates are folded into a running sum as they arrive and may be released right after
 * {@link #add}, so memory grows with the model, not with the number of sites.
 */
public interface RoundAggregation {

    /**
     * Validates the whole update first (throws {@link UpdateRejectedException}, accumulator untouched), then folds it
     * in, weighted by examples, per tensor over the sites that sent it.
     */
    void add(String site, TensorSet update, long examples);

    Set<String> contributors();

    /**
     * The next global model. Tensors no site sent this round are carried over unchanged (and their optimizer moments
     * too). Throws IllegalStateException when nobody contributed.
     */
    AggregationResult finish();
}
