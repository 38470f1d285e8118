package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.List;

/**
 * One round of {@link FedAvgM}. The momentum buffer u is stored as the first moment "m/&lt;tensor&gt;", in the
 * tensor's dtype; without momentum nothing is stored.
 */
final class FedAvgMUpdate implements ServerUpdate {
    private final double eta;
    private final double beta;
    private final RoundMoments moments;

    FedAvgMUpdate(double eta, double beta, TensorSet global, ServerOptimizerState previous) {
        this.eta = eta;
        this.beta = beta;
        this.moments = new RoundMoments(global, previous,
                beta > 0 ? List.of(ServerOptimizerState.FIRST_MOMENT) : List.of());
    }

    @Override
    public NpyArray step(NamedTensor global, double[] mean) {
        NpyArray array = global.array();
        ChunkReader weights = ChunkReader.of(array);
        ChunkReader momentum = moments.reader(ServerOptimizerState.FIRST_MOMENT, global);
        ChunkWriter nextWeights = new ChunkWriter(array.dtype(), array.shape());
        ChunkWriter nextMomentum = beta > 0 ? new ChunkWriter(array.dtype(), array.shape()) : null;
        double[] x = new double[ChunkReader.CHUNK];
        double[] u = new double[ChunkReader.CHUNK];
        int base = 0;
        for (int n = weights.next(x); n > 0; n = weights.next(x)) {
            momentum.next(u);
            for (int i = 0; i < n; i++) {
                u[i] = beta * u[i] + (mean[base + i] - x[i]);
                x[i] += eta * u[i];
            }
            nextWeights.put(x, 0, n);
            if (nextMomentum != null) {
                nextMomentum.put(u, 0, n);
            }
            base += n;
        }
        if (nextMomentum != null) {
            moments.put(ServerOptimizerState.FIRST_MOMENT, global, nextMomentum.toArray());
        }
        return nextWeights.toArray();
    }

    @Override
    public ServerOptimizerState nextState(TensorSet global) {
        return moments.nextState(global);
    }
}
