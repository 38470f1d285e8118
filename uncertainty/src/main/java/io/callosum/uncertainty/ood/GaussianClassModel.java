package io.callosum.uncertainty.ood;

import io.callosum.uncertainty.stats.Checks;

/**
 * Class-conditional Gaussians N(μ_k, Σ) with one shared covariance, fitted on in-distribution embeddings (for
 * instance a site's frozen encoder outputs with diagnosis labels). The covariance is the pooled within-class
 * covariance S shrunk towards a scaled identity, Σ = (1−λ)S + λ(tr S / d)I, which keeps it invertible when there
 * are fewer subjects than dimensions.
 */
public final class GaussianClassModel {
    private final int dimension;
    /** Class means in the whitened coordinates L⁻¹x, where Σ = LLᵀ. */
    private final double[][] whitenedMeans;
    private final double[][] cholesky;

    private GaussianClassModel(double[][] whitenedMeans, double[][] cholesky) {
        this.dimension = cholesky.length;
        this.whitenedMeans = whitenedMeans;
        this.cholesky = cholesky;
    }

    /**
     * Fits one mean per class (labels 0..K−1, every class present) and the shared covariance.
     *
     * @param shrinkage λ in [0, 1]; 0 uses the pooled covariance as is
     */
    public static GaussianClassModel fit(float[][] embeddings, int[] labels, double shrinkage) {
        int d = Checks.finiteMatrix(embeddings, "embeddings");
        if (!(shrinkage >= 0 && shrinkage <= 1)) {
            throw new IllegalArgumentException("shrinkage must lie in [0, 1], got " + shrinkage);
        }
        if (labels == null) {
            throw new IllegalArgumentException("labels are missing");
        }
        Checks.sameLength(labels.length, embeddings.length, "labels", "embeddings");
        int classes = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + i + " is negative: " + labels[i]);
            }
            classes = Math.max(classes, labels[i] + 1);
        }
        double[][] means = new double[classes][d];
        int[] counts = new int[classes];
        for (int i = 0; i < labels.length; i++) {
            counts[labels[i]]++;
            for (int j = 0; j < d; j++) {
                means[labels[i]][j] += embeddings[i][j];
            }
        }
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no embeddings (labels must be 0.."
                        + (classes - 1) + " with every class present)");
            }
            for (int j = 0; j < d; j++) {
                means[k][j] /= counts[k];
            }
        }
        double[][] covariance = sharedCovariance(embeddings, labels, means, shrinkage);
        double[][] cholesky = cholesky(covariance, shrinkage);
        double[][] whitened = new double[classes][];
        for (int k = 0; k < classes; k++) {
            whitened[k] = forwardSolve(cholesky, means[k]);
        }
        return new GaussianClassModel(whitened, cholesky);
    }

    public int dimension() {
        return dimension;
    }

    public int classes() {
        return whitenedMeans.length;
    }

    /** Squared Mahalanobis distance of {@code embedding} to every class mean. */
    public double[] squaredDistances(float[] embedding) {
        if (embedding.length != dimension) {
            throw new IllegalArgumentException("embedding has " + embedding.length + " dimensions, the model was "
                    + "fitted on " + dimension);
        }
        double[] x = new double[dimension];
        for (int j = 0; j < dimension; j++) {
            if (!Float.isFinite(embedding[j])) {
                throw new IllegalArgumentException("embedding entry " + j + " is " + embedding[j]);
            }
            x[j] = embedding[j];
        }
        double[] w = forwardSolve(cholesky, x);
        double[] distances = new double[whitenedMeans.length];
        for (int k = 0; k < whitenedMeans.length; k++) {
            double sum = 0;
            for (int j = 0; j < dimension; j++) {
                double diff = w[j] - whitenedMeans[k][j];
                sum += diff * diff;
            }
            distances[k] = sum;
        }
        return distances;
    }

    /** Logits of the generative classifier with equal class priors: −½ d_k², up to a constant shared by all k. */
    public double[] logits(float[] embedding) {
        double[] logits = squaredDistances(embedding);
        for (int k = 0; k < logits.length; k++) {
            logits[k] *= -0.5;
        }
        return logits;
    }

    /** Mahalanobis OOD score: the squared distance to the nearest class mean. */
    public double mahalanobis(float[] embedding) {
        double min = Double.POSITIVE_INFINITY;
        for (double d : squaredDistances(embedding)) {
            min = Math.min(min, d);
        }
        return min;
    }

    /** Gaussian energy −logsumexp_k(−½ d_k²): the energy score of {@link #logits} at T = 1. */
    public double energy(float[] embedding) {
        return EnergyScore.of(logits(embedding), 1);
    }

    /** {@link #mahalanobis(float[])} of every row. */
    public double[] mahalanobis(float[][] embeddings) {
        Checks.finiteMatrix(embeddings, "embeddings");
        double[] scores = new double[embeddings.length];
        for (int i = 0; i < embeddings.length; i++) {
            scores[i] = mahalanobis(embeddings[i]);
        }
        return scores;
    }

    /** {@link #energy(float[])} of every row. */
    public double[] energy(float[][] embeddings) {
        Checks.finiteMatrix(embeddings, "embeddings");
        double[] scores = new double[embeddings.length];
        for (int i = 0; i < embeddings.length; i++) {
            scores[i] = energy(embeddings[i]);
        }
        return scores;
    }

    private static double[][] sharedCovariance(float[][] x, int[] labels, double[][] means, double shrinkage) {
        int d = means[0].length;
        double[][] s = new double[d][d];
        double[] diff = new double[d];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < d; j++) {
                diff[j] = x[i][j] - means[labels[i]][j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b <= a; b++) {
                    s[a][b] += diff[a] * diff[b];
                }
            }
        }
        double trace = 0;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] /= x.length;
                s[b][a] = s[a][b];
            }
            trace += s[a][a];
        }
        if (!(trace > 0)) {
            throw new IllegalArgumentException("embeddings do not vary within their classes; no covariance to fit");
        }
        double ridge = shrinkage * trace / d;
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < d; b++) {
                s[a][b] *= 1 - shrinkage;
            }
            s[a][a] += ridge;
        }
        return s;
    }

    private static double[][] cholesky(double[][] a, double shrinkage) {
        int d = a.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double sum = a[i][j];
                for (int k = 0; k < j; k++) {
                    sum -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(sum > 1e-10 * Math.max(1, Math.abs(a[i][i])))) {
                        throw new IllegalArgumentException("shared covariance is singular (dimension " + i
                                + ") at shrinkage " + shrinkage + "; use more subjects than dimensions or raise "
                                + "the shrinkage");
                    }
                    l[i][i] = Math.sqrt(sum);
                } else {
                    l[i][j] = sum / l[j][j];
                }
            }
        }
        return l;
    }

    private static double[] forwardSolve(double[][] l, double[] b) {
        double[] y = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            double sum = b[i];
            for (int k = 0; k < i; k++) {
                sum -= l[i][k] * y[k];
            }
            y[i] = sum / l[i][i];
        }
        return y;
    }
}
