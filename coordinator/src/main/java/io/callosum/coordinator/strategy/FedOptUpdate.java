package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.List;

/**
 * One round of a {@link FedOpt} server optimizer. Moments are stored in the tensor's dtype, as Flower keeps them in
 * the model's numpy dtype; within a step everything is computed in double.
 */
final class FedOptUpdate implements ServerUpdate {
    private final FedOpt optimizer;
    private final RoundMoments moments;

    FedOptUpdate(FedOpt optimizer, TensorSet global, ServerOptimizerState previous) {
        this.optimizer = optimizer;
        this.moments = new RoundMoments(global, previous,
                List.of(ServerOptimizerState.FIRST_MOMENT, ServerOptimizerState.SECOND_MOMENT));
    }

    @Override
    public NpyArray step(NamedTensor global, double[] mean) {
        StrategySettings settings = optimizer.settings();
        double beta1 = settings.beta1();
        double eta = settings.serverLearningRate();
        double tau = settings.tau();
        NpyArray array = global.array();
        ChunkReader weights = ChunkReader.of(array);
        ChunkReader firstMoments = moments.reader(ServerOptimizerState.FIRST_MOMENT, global);
        ChunkReader secondMoments = moments.reader(ServerOptimizerState.SECOND_MOMENT, global);
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
        moments.put(ServerOptimizerState.FIRST_MOMENT, global, nextFirst.toArray());
        moments.put(ServerOptimizerState.SECOND_MOMENT, global, nextSecond.toArray());
        return nextWeights.toArray();
    }

    @Override
    public ServerOptimizerState nextState(TensorSet global) {
        return moments.nextState(global);
    }
}
