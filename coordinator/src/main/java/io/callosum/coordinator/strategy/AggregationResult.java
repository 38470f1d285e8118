package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;
import java.util.Objects;

/**
 * A finished round: the next global model (canonical little-endian C-order arrays in each tensor's dtype), the
 * server optimizer state to store with it, and how many sites sent each tensor (0 for tensors carried over).
 */
public record AggregationResult(TensorSet model, ServerOptimizerState state, Map<String, Integer> sitesPerTensor) {

    public AggregationResult {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(sitesPerTensor, "sitesPerTensor");
    }
}
