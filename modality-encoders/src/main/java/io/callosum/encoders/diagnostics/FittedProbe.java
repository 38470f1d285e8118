package io.callosum.encoders.diagnostics;

/**
 * A fitted {@link LinearProbe}: the training rows' per-feature mean and inverse standard deviation (0 for a constant
 * feature), and per class the weights of the standardized features followed by the bias.
 */
public record FittedProbe(double[] mean, double[] scale, double[][] weights) {

    public FittedProbe {
        if (mean.length != scale.length || weights.length < 1) {
            throw new IllegalArgumentException("a probe needs a mean and a scale per feature and at least one class,"
                    + " got " + mean.length + ", " + scale.length + " and " + weights.length);
        }
        for (int k = 0; k < weights.length; k++) {
            if (weights[k].length != mean.length + 1) {
                throw new IllegalArgumentException("class " + k + " has " + weights[k].length + " weights; "
                        + mean.length + " features need " + (mean.length + 1) + " (the bias last)");
            }
        }
    }

    public int classes() {
        return weights.length;
    }

    public int features() {
        return mean.length;
    }

    /** The class scores of one feature vector. */
    public double[] logits(float[] features) {
        if (features.length != mean.length) {
            throw new IllegalArgumentException("the probe takes " + mean.length + " features, got " + features.length);
        }
        double[] x = new double[features.length];
        for (int j = 0; j < x.length; j++) {
            x[j] = (features[j] - mean[j]) * scale[j];
        }
        return LinearProbe.scores(weights, x);
    }

    /** The softmax of {@link #logits}. */
    public double[] probabilities(float[] features) {
        return LinearProbe.softmax(logits(features));
    }

    /** The most probable class. */
    public int predict(float[] features) {
        return LinearProbe.argmax(logits(features));
    }
}
