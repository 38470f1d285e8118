package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

/** How a strategy moves the global model, one tensor at a time, given the round's weighted mean of the updates. */
interface ServerUpdate {

    /**
     * The next value of {@code global}, a canonical array in its dtype. {@code mean} is the examples-weighted mean of
     * the updates sent for it, in C order; it is scratch the update may overwrite.
     */
    NpyArray step(NamedTensor global, double[] mean);

    /** The optimizer state to store with the next model, called once after every sent tensor was stepped. */
    ServerOptimizerState nextState(TensorSet global);
}
