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
        ChunkWriter nextWeights = new ChunkWriter(array.dtype(), array.shape());
        boolean withMomentum = beta > 0;
        ChunkReader momentum = withMomentum ? moments.reader(ServerOptimizerState.FIRST_MOMENT, global) : null;
        ChunkWriter nextMomentum = withMomentum ? new ChunkWriter(array.dtype(), array.shape()) : null;
        double[] x = new double[ChunkReader.CHUNK];
        double[] u = withMomentum ? new double[ChunkReader.CHUNK] : null;
        int base = 0;
        for (int n = weights.next(x); n > 0; n = weights.next(x)) {
            if (withMomentum) {
                momentum.next(u);
                for (int i = 0; i < n; i++) {
                    u[i] = beta * u[i] + (mean[base + i] - x[i]);
                    x[i] += eta * u[i];
                }
                nextMomentum.put(u, 0, n);
            } else {
                for (int i = 0; i < n; i++) {
                    x[i] += eta * (mean[base + i] - x[i]);
                }
            }
            nextWeights.put(x, 0, n);
            base += n;
        }
        if (withMomentum) {
            moments.put(ServerOptimizerState.FIRST_MOMENT, global, nextMomentum.toArray());
        }
        return nextWeights.toArray();
    }

    @Override
    public ServerOptimizerState nextState(TensorSet global) {
        return moments.nextState(global);
    }
}
