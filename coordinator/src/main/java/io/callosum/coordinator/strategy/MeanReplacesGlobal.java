package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.Objects;

/**
 * FedAvg's server step: the weighted mean becomes the tensor. The optimizer state passes through untouched, so a
 * federation that switches from an adaptive strategy to FedAvg and back keeps its moments.
 */
record MeanReplacesGlobal(ServerOptimizerState state) implements ServerUpdate {

    MeanReplacesGlobal {
        Objects.requireNonNull(state, "state");
    }

    @Override
    public NpyArray step(NamedTensor global, double[] mean) {
        return ChunkWriter.of(global.array().dtype(), global.array().shape(), mean);
    }

    @Override
    public ServerOptimizerState nextState(TensorSet global) {
        return state;
    }
}
