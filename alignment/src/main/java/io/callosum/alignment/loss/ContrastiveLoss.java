package io.callosum.alignment.loss;

import ai.djl.ndarray.NDArray;

/**
 * Contrastive objectives for a batch of paired shared-space embeddings: row i of {@code a} and row i of {@code b}
 * are the same subject seen in two modalities, every other row pairing is a negative. Both expect L2-normalized
 * rows, so that {@code a·bᵀ} holds cosines, and a positive logit scale s = 1/τ.
 */
public enum ContrastiveLoss {
    /**
     * Symmetric InfoNCE (CLIP, Radford et al. 2021): cross-entropy of each row of s·a·bᵀ against its diagonal,
     * averaged over both directions. Energy −s·cos(x, y) = −cos/τ.
     */
    INFONCE(0.07f, 0f) {
        @Override
        public NDArray of(NDArray a, NDArray b, NDArray scale, NDArray bias) {
            NDArray logits = a.matMul(b.transpose()).mul(scale);
            NDArray diagonal = a.getManager().eye(Math.toIntExact(a.getShape().get(0))).toDevice(a.getDevice(), false);
            NDArray rows = logits.logSoftmax(1).mul(diagonal).sum();
            NDArray columns = logits.logSoftmax(0).mul(diagonal).sum();
            return rows.add(columns).div(-2f * a.getShape().get(0));
        }

        @Override
        public double energy(double cosine, double scale, double bias) {
            return -scale * cosine;
        }
    },
    /**
     * Pairwise sigmoid loss (SigLIP, Zhai et al. 2023): every pairing is its own binary problem on s·cos + b,
     * positive on the diagonal; summed over pairings and divided by the batch. Energy −log σ(s·cos + b).
     */
    SIGLIP(0.1f, -10f) {
        @Override
        public NDArray of(NDArray a, NDArray b, NDArray scale, NDArray bias) {
            NDArray logits = a.matMul(b.transpose()).mul(scale).add(bias);
            NDArray diagonal = a.getManager().eye(Math.toIntExact(a.getShape().get(0))).toDevice(a.getDevice(), false);
            NDArray signs = diagonal.mul(2f).sub(1f);
            return softPlus(logits.mul(signs).neg()).sum().div(a.getShape().get(0));
        }

        @Override
        public double energy(double cosine, double scale, double bias) {
            double logit = scale * cosine + bias;
            return Math.max(-logit, 0) + Math.log1p(Math.exp(-Math.abs(logit)));
        }
    };

    private final float defaultTemperature;
    private final float initialBias;

    ContrastiveLoss(float defaultTemperature, float initialBias) {
        this.defaultTemperature = defaultTemperature;
        this.initialBias = initialBias;
    }

    /** The loss of paired rows, a scalar; {@code bias} is used by SigLIP only (null is fine for InfoNCE). */
    public abstract NDArray of(NDArray a, NDArray b, NDArray scale, NDArray bias);

    /** How incompatible two inputs are whose shared-space embeddings have this cosine: lower is more alike. */
    public abstract double energy(double cosine, double scale, double bias);

    /** The starting temperature of the published recipe: CLIP's 0.07, SigLIP's 1/10. */
    public float defaultTemperature() {
        return defaultTemperature;
    }

    /** The starting logit bias: SigLIP's −10, which keeps the many negatives from dominating the first steps. */
    public float initialBias() {
        return initialBias;
    }

    /** Whether the loss has a learnt logit bias besides the temperature. */
    public boolean usesBias() {
        return this == SIGLIP;
    }

    /** log(1 + eˣ) without overflow for large x. */
    private static NDArray softPlus(NDArray x) {
        return x.maximum(0f).add(x.abs().neg().exp().add(1f).log());
    }
}
