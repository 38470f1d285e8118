package io.callosum.uncertainty.variance;

import io.callosum.uncertainty.stats.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The spread of K embeddings of one input: their mean, the unbiased per-dimension variance (divided by K−1) and
 * its sum, the trace of the sample covariance.
 */
public record EmbeddingSpread(int draws, double[] mean, double[] variance, double trace) {

    public EmbeddingSpread {
        mean = mean.clone();
        variance = variance.clone();
    }

    /** The spread of K ≥ 2 draws, one embedding per row. */
    public static EmbeddingSpread of(float[][] draws) {
        int d = Checks.finiteMatrix(draws, "embedding draws");
        int k = draws.length;
        if (k < 2) {
            throw new IllegalArgumentException("need at least 2 embedding draws to estimate a variance, got " + k);
        }
        double[] mean = new double[d];
        for (float[] draw : draws) {
            for (int j = 0; j < d; j++) {
                mean[j] += draw[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= k;
        }
        double[] variance = new double[d];
        for (float[] draw : draws) {
            for (int j = 0; j < d; j++) {
                double diff = draw[j] - mean[j];
                variance[j] += diff * diff;
            }
        }
        double trace = 0;
        for (int j = 0; j < d; j++) {
            variance[j] /= k - 1;
            trace += variance[j];
        }
        return new EmbeddingSpread(k, mean, variance, trace);
    }

    /**
     * The spread of each input of a batch embedded K times: {@code draws.get(m)[i]} is draw m of input i, for
     * instance ensemble member m's embedding of subject i. Every draw must have the same batch size and dimension.
     */
    public static List<EmbeddingSpread> perInput(List<float[][]> draws) {
        if (draws == null || draws.size() < 2) {
            throw new IllegalArgumentException("need at least 2 embedding draws to estimate a variance, got "
                    + (draws == null ? 0 : draws.size()));
        }
        int batch = draws.get(0).length;
        int d = Checks.finiteMatrix(draws.get(0), "embedding draw 0");
        for (int m = 1; m < draws.size(); m++) {
            float[][] draw = draws.get(m);
            int width = Checks.finiteMatrix(draw, "embedding draw " + m);
            if (draw.length != batch || width != d) {
                throw new IllegalArgumentException("embedding draw " + m + " is " + draw.length + " x " + width
                        + ", draw 0 is " + batch + " x " + d);
            }
        }
        List<EmbeddingSpread> spreads = new ArrayList<>(batch);
        float[][] ofOneInput = new float[draws.size()][];
        for (int i = 0; i < batch; i++) {
            for (int m = 0; m < draws.size(); m++) {
                ofOneInput[m] = draws.get(m)[i];
            }
            spreads.add(of(ofOneInput));
        }
        return spreads;
    }

    public int dimension() {
        return variance.length;
    }

    /** The average per-dimension variance, trace / d, comparable across embedding sizes. */
    public double meanVariance() {
        return trace / variance.length;
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] variance() {
        return variance.clone();
    }
}
