package io.callosum.encoders.jepa;

import ai.djl.ndarray.NDArray;

/**
 * VICReg's anti-collapse terms on embeddings {@code (batch, dim)}: a hinge keeping each dimension's standard
 * deviation at 1 or more, plus the squared off-diagonal covariances divided by the dimension (weighted 25:1).
 */
public final class VicReg {
    private static final float VARIANCE_WEIGHT = 25f;
    private static final float COVARIANCE_WEIGHT = 1f;

    private VicReg() {
    }

    public static NDArray penalty(NDArray z) {
        long batch = z.getShape().get(0);
        long dim = z.getShape().get(1);
        NDArray centred = z.sub(z.mean(new int[] {0}, true));
        NDArray std = centred.square().sum(new int[] {0}).div(batch - 1).add(1e-4f).sqrt();
        NDArray variance = std.neg().add(1f).maximum(0f).mean();
        NDArray covariance = centred.transpose().matMul(centred).div(batch - 1);
        NDArray offDiagonal = covariance.square().sum().sub(covariance.diagonal().square().sum()).div(dim);
        return variance.mul(VARIANCE_WEIGHT).add(offDiagonal.mul(COVARIANCE_WEIGHT));
    }
}
