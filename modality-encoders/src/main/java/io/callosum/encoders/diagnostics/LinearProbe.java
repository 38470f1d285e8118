package io.callosum.encoders.diagnostics;

import java.util.List;

import java.util.Arrays;

/**
 * Multinomial logistic regression on frozen features: standardized with the training split's statistics, fitted
 * by full-batch gradient descent with Nesterov momentum and L2 weight decay, scored on held-out subjects.
 */
public final class LinearProbe {
    private static final int ITERATIONS = 300;
    private static final double LEARNING_RATE = 0.5;
    private static final double MOMENTUM = 0.9;

    private final double l2;

    public LinearProbe(double l2) {
        this.l2 = l2;
    }

    /** Accuracy on the test split after fitting on the training split. */
    public double accuracy(ProbeSplit split, float[][] features, int[] labels) {
        FittedProbe probe = fit(features, labels, split.train());
        int correct = 0;
        for (int row : split.test()) {
            if (argmax(probe.logits(features[row])) == labels[row]) {
                correct++;
            }
        }
        return (double) correct / split.test().length;
    }

    /**
     * {@link #accuracy} averaged over several splits: one split's test set of a hundred subjects moves the accuracy
     * by several points, which is the size of the effects the probe is there to show.
     */
    public double meanAccuracy(List<ProbeSplit> splits, float[][] features, int[] labels) {
        if (splits.isEmpty()) {
            throw new IllegalArgumentException("no probe splits to average over");
        }
        return splits.stream().mapToDouble(split -> accuracy(split, features, labels)).average().orElseThrow();
    }

    /**
     * The class scores (logits) of the test split's rows after fitting on the training split, in test-split order:
     * what calibration and conformal prediction start from.
     */
    public double[][] logits(ProbeSplit split, float[][] features, int[] labels) {
        FittedProbe probe = fit(features, labels, split.train());
        return Arrays.stream(split.test()).mapToObj(row -> probe.logits(features[row])).toArray(double[][]::new);
    }

    /**
     * The probe fitted on the given rows, with as many classes as the largest label of all rows says (so that it
     * scores every class of the data even if the rows miss one).
     */
    public FittedProbe fit(float[][] features, int[] labels, int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a linear probe needs at least one training row");
        }
        int classes = Arrays.stream(labels).max().orElse(0) + 1;
        int dim = features[0].length;
        double[] mean = new double[dim];
        double[] scale = new double[dim];
        standardization(features, rows, mean, scale);
        double[][] weights = fit(standardized(features, rows, mean, scale), select(labels, rows), classes);
        return new FittedProbe(mean, scale, weights);
    }

    private double[][] fit(double[][] x, int[] y, int classes) {
        int dim = x[0].length;
        double[][] w = new double[classes][dim + 1];
        double[][] velocity = new double[classes][dim + 1];
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double[][] lookahead = new double[classes][dim + 1];
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j <= dim; j++) {
                    lookahead[k][j] = w[k][j] + MOMENTUM * velocity[k][j];
                }
            }
            double[][] gradient = new double[classes][dim + 1];
            for (int i = 0; i < x.length; i++) {
                double[] p = softmax(scores(lookahead, x[i]));
                for (int k = 0; k < classes; k++) {
                    double error = (p[k] - (y[i] == k ? 1 : 0)) / x.length;
                    for (int j = 0; j < dim; j++) {
                        gradient[k][j] += error * x[i][j];
                    }
                    gradient[k][dim] += error;
                }
            }
            for (int k = 0; k < classes; k++) {
                for (int j = 0; j <= dim; j++) {
                    double decay = j < dim ? l2 * lookahead[k][j] : 0;
                    velocity[k][j] = MOMENTUM * velocity[k][j] - LEARNING_RATE * (gradient[k][j] + decay);
                    w[k][j] += velocity[k][j];
                }
            }
        }
        return w;
    }

    static double[] scores(double[][] w, double[] x) {
        double[] s = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            double sum = w[k][x.length];
            for (int j = 0; j < x.length; j++) {
                sum += w[k][j] * x[j];
            }
            s[k] = sum;
        }
        return s;
    }

    static double[] softmax(double[] s) {
        double max = Arrays.stream(s).max().orElse(0);
        double[] p = new double[s.length];
        double total = 0;
        for (int k = 0; k < s.length; k++) {
            p[k] = Math.exp(s[k] - max);
            total += p[k];
        }
        for (int k = 0; k < s.length; k++) {
            p[k] /= total;
        }
        return p;
    }

    static int argmax(double[] s) {
        int best = 0;
        for (int k = 1; k < s.length; k++) {
            if (s[k] > s[best]) {
                best = k;
            }
        }
        return best;
    }

    private static void standardization(float[][] x, int[] rows, double[] mean, double[] scale) {
        for (int j = 0; j < mean.length; j++) {
            double sum = 0;
            double sumSq = 0;
            for (int i : rows) {
                sum += x[i][j];
                sumSq += (double) x[i][j] * x[i][j];
            }
            mean[j] = sum / rows.length;
            double variance = Math.max(0, sumSq / rows.length - mean[j] * mean[j]);
            scale[j] = variance > 1e-12 ? 1 / Math.sqrt(variance) : 0;
        }
    }

    private static double[][] standardized(float[][] x, int[] rows, double[] mean, double[] scale) {
        double[][] out = new double[rows.length][mean.length];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < mean.length; j++) {
                out[r][j] = (x[rows[r]][j] - mean[j]) * scale[j];
            }
        }
        return out;
    }

    private static int[] select(int[] labels, int[] rows) {
        return Arrays.stream(rows).map(i -> labels[i]).toArray();
    }
}
