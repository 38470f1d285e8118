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
 * One round of a {@link FedOpt} server optimizer. Moments are stored in the tensor's dtype, as Flower keeps them in
 * the model's numpy dtype; within a step everything is computed in double.
 */
final class FedOptUpdate implements ServerUpdate {
    private final FedOpt optimizer;
    private final ServerOptimizerState previous;
    private final Map<String, NamedTensor> nextMoments = new HashMap<>();

    FedOptUpdate(FedOpt optimizer, TensorSet global, ServerOptimizerState previous) {
        this.optimizer = optimizer;
        this.previous = Objects.requireNonNull(previous, "state");
        requireMomentsMatch(global, previous);
    }

    @Override
    public NpyArray step(NamedTensor global, double[] mean) {
        StrategySettings settings = optimizer.settings();
        double beta1 = settings.beta1();
        double eta = settings.serverLearningRate();
        double tau = settings.tau();
        NpyArray array = global.array();
        ChunkReader weights = ChunkReader.of(array);
        ChunkReader firstMoments = momentReader(ServerOptimizerState.FIRST_MOMENT, global);
        ChunkReader secondMoments = momentReader(ServerOptimizerState.SECOND_MOMENT, global);
        ChunkWriter nextWeights = new ChunkWriter(array.dtype(), array.shape());
        ChunkWriter nextFirst = new ChunkWriter(array.dtype(), array.shape());
        ChunkWriter nextSecond = new ChunkWriter(array.dtype(), array.shape());
        double[] x = new double[ChunkReader.CHUNK];
        double[] m = new double[ChunkReader.CHUNK];
        double[] v = new double[ChunkReader.CHUNK];
        int base = 0;
        for (int n = weights.next(x); n > 0; n = weights.next(x)) {
            firstMoments.next(m);
            secondMoments.next(v);
            for (int i = 0; i < n; i++) {
                double delta = mean[base + i] - x[i];
                m[i] = beta1 * m[i] + (1 - beta1) * delta;
                v[i] = optimizer.nextSecondMoment(v[i], delta * delta);
                x[i] += eta * m[i] / (Math.sqrt(v[i]) + tau);
            }
            nextWeights.put(x, 0, n);
            nextFirst.put(m, 0, n);
            nextSecond.put(v, 0, n);
            base += n;
        }
        putMoment(ServerOptimizerState.FIRST_MOMENT, global, nextFirst.toArray());
        putMoment(ServerOptimizerState.SECOND_MOMENT, global, nextSecond.toArray());
        return nextWeights.toArray();
    }

    @Override
    public ServerOptimizerState nextState(TensorSet global) {
        List<NamedTensor> moments = new ArrayList<>();
        for (NamedTensor tensor : global) {
            for (String prefix : List.of(ServerOptimizerState.FIRST_MOMENT, ServerOptimizerState.SECOND_MOMENT)) {
                String name = prefix + tensor.name();
                Optional.ofNullable(nextMoments.get(name))
                        .or(() -> previous.moments().get(name))
                        .ifPresent(moments::add);
            }
        }
        return new ServerOptimizerState(previous.step() + 1, TensorSet.of(moments));
    }

    private ChunkReader momentReader(String prefix, NamedTensor tensor) {
        return previous.moment(prefix, tensor.name())
                .map(ChunkReader::of)
                .orElseGet(() -> ChunkReader.zeros(tensor.array().elementCount()));
    }

    private void putMoment(String prefix, NamedTensor tensor, NpyArray values) {
        nextMoments.put(prefix + tensor.name(), new NamedTensor(prefix + tensor.name(), tensor.modality(), values));
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
