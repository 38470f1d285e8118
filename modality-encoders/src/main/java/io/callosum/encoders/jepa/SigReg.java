package io.callosum.encoders.jepa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Sketched Isotropic Gaussian Regularization (LeJEPA, Balestriero and LeCun 2025). The embeddings are projected on
 * random unit directions, drawn afresh at every call; on each projection the Epps–Pulley statistic compares the
 * empirical characteristic function with the standard normal's, integrated over 17 knots on t ∈ [0, 3] with weight
 * e^(−t²/2) and scaled by the batch size. The result is the mean over directions.
 */
public final class SigReg {
    public static final int KNOTS = 17;
    public static final float T_MAX = 3f;

    private SigReg() {
    }

    /** The statistic for embeddings {@code z} of shape {@code (batch, dim)}; differentiable. */
    public static NDArray statistic(NDArray z, int slices) {
        NDManager manager = z.getManager();
        long batch = z.getShape().get(0);
        NDArray directions = manager.randomNormal(new Shape(z.getShape().get(1), slices)).toDevice(z.getDevice(), false);
        directions = directions.div(directions.norm(new int[] {0}, true));
        NDArray t = manager.linspace(0f, T_MAX, KNOTS).toDevice(z.getDevice(), false);
        NDArray gaussian = t.square().mul(-0.5f).exp();
        NDArray phase = z.matMul(directions).expandDims(2).mul(t);
        NDArray real = phase.cos().mean(new int[] {0});
        NDArray imaginary = phase.sin().mean(new int[] {0});
        NDArray error = real.sub(gaussian).square().add(imaginary.square()).mul(gaussian);
        float dt = T_MAX / (KNOTS - 1);
        NDArray integral = error.get(":, 1:").add(error.get(":, :-1")).mul(dt / 2).sum(new int[] {1});
        return integral.mean().mul(batch);
    }
}
