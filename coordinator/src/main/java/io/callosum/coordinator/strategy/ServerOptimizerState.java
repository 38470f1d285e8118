package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Server-optimizer state stored with each global version: FedAdam/FedYogi moments as tensors named "m/<tensor>" and
 * "v/<tensor>" (same modality, dtype and shape as the tensor), plus the number of server steps taken.
 */
public record ServerOptimizerState(long step, TensorSet moments) {
    static final String FIRST_MOMENT = "m/";
    static final String SECOND_MOMENT = "v/";

    public ServerOptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        Objects.requireNonNull(moments, "moments");
        for (NamedTensor moment : moments) {
            if (!moment.name().startsWith(FIRST_MOMENT) && !moment.name().startsWith(SECOND_MOMENT)) {
                throw new IllegalArgumentException("optimizer state tensor '" + moment.name()
                        + "' is neither a first moment (m/<tensor>) nor a second moment (v/<tensor>)");
            }
        }
    }

    /** No steps taken and no moments: the state before the first adaptive round, and FedAvg's. */
    public static ServerOptimizerState none() {
        return new ServerOptimizerState(0, TensorSet.of(List.of()));
    }

    /** The tensor a moment belongs to: its name without the "m/" or "v/" prefix. */
    static String tensorOf(String momentName) {
        return momentName.substring(momentName.indexOf('/') + 1);
    }

    Optional<NpyArray> moment(String prefix, String tensor) {
        return moments.get(prefix + tensor).map(NamedTensor::array);
    }
}
