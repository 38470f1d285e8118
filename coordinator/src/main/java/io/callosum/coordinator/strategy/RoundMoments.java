package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The server-optimizer moments of one round: read from the state stored with the global model (zeros where a tensor
 * has none yet), replaced for the tensors the round steps, and carried over for those nobody sent.
 */
final class RoundMoments {
    private final ServerOptimizerState previous;
    private final List<String> prefixes;
    private final Map<String, NamedTensor> next = new HashMap<>();

    /** {@code prefixes}: the kinds of moment the strategy keeps ({@link ServerOptimizerState#FIRST_MOMENT}, ...). */
    RoundMoments(TensorSet global, ServerOptimizerState previous, List<String> prefixes) {
        this.previous = Objects.requireNonNull(previous, "state");
        this.prefixes = List.copyOf(prefixes);
        requireMomentsMatch(global, previous);
    }

    ChunkReader reader(String prefix, NamedTensor tensor) {
        return previous.moment(prefix, tensor.name())
                .map(ChunkReader::of)
                .orElseGet(() -> ChunkReader.zeros(tensor.array().elementCount()));
    }

    void put(String prefix, NamedTensor tensor, NpyArray values) {
        next.put(prefix + tensor.name(), new NamedTensor(prefix + tensor.name(), tensor.modality(), values));
    }

    /** The state to store with the next model: one more server step, this round's moments and the carried ones. */
    ServerOptimizerState nextState(TensorSet global) {
        List<NamedTensor> moments = new ArrayList<>();
        for (NamedTensor tensor : global) {
            for (String prefix : prefixes) {
                String name = prefix + tensor.name();
                Optional.ofNullable(next.get(name))
                        .or(() -> previous.moments().get(name))
                        .ifPresent(moments::add);
            }
        }
        return new ServerOptimizerState(previous.step() + 1, TensorSet.of(moments));
    }

    private static void requireMomentsMatch(TensorSet global, ServerOptimizerState state) {
        for (NamedTensor moment : state.moments()) {
            String tensorName = ServerOptimizerState.tensorOf(moment.name());
            NamedTensor tensor = global.get(tensorName).orElseThrow(() -> new IllegalArgumentException(
                    "optimizer state tensor '" + moment.name() + "' belongs to no tensor of the global model"));
            NpyArray expected = tensor.array();
            NpyArray actual = moment.array();
            if (actual.dtype() != expected.dtype() || !actual.shape().equals(expected.shape())) {
                throw new IllegalArgumentException("optimizer state tensor '" + moment.name() + "' is "
                        + actual.dtype().code() + actual.shape() + " but global tensor '" + tensorName + "' is "
                        + expected.dtype().code() + expected.shape());
            }
        }
    }
}
