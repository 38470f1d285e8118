package io.callosum.uncertainty;

import io.callosum.uncertainty.stats.Probabilities;
import java.util.Arrays;
import java.util.Random;

/**
 * A synthetic 3-class problem with known ground truth: 2-D features drawn from unit-variance Gaussians around
 * {@link #MEANS}, equal priors, and logits from the Bayes-optimal linear model (the true posterior's log-odds),
 * multiplied by {@code logitScale} (1 is calibrated, above 1 over-confident). Class 0 lies apart; classes 1 and 2
 * overlap, so they are harder.
 */
public record SyntheticClasses(double[][] features, int[] labels, double[][] logits) {
    public static final double[][] MEANS = {{-3, 0}, {2, 0}, {2, 1}};
    public static final int CLASSES = MEANS.length;

    public static SyntheticClasses generate(int n, double logitScale, long seed) {
        Random random = new Random(seed);
        double[][] features = new double[n][2];
        int[] labels = new int[n];
        double[][] logits = new double[n][CLASSES];
        for (int i = 0; i < n; i++) {
            int y = random.nextInt(CLASSES);
            labels[i] = y;
            features[i][0] = MEANS[y][0] + random.nextGaussian();
            features[i][1] = MEANS[y][1] + random.nextGaussian();
            for (int k = 0; k < CLASSES; k++) {
                double[] mu = MEANS[k];
                double linear = mu[0] * features[i][0] + mu[1] * features[i][1] - (mu[0] * mu[0] + mu[1] * mu[1]) / 2;
                logits[i][k] = logitScale * linear;
            }
        }
        return new SyntheticClasses(features, labels, logits);
    }

    public double[][] probabilities() {
        return Probabilities.softmax(logits, 1);
    }

    public int size() {
        return labels.length;
    }

    /** The subjects at {@code rows}, in that order. */
    public SyntheticClasses rows(int[] rows) {
        double[][] f = new double[rows.length][];
        int[] y = new int[rows.length];
        double[][] z = new double[rows.length][];
        for (int r = 0; r < rows.length; r++) {
            f[r] = features[rows[r]];
            y[r] = labels[rows[r]];
            z[r] = logits[rows[r]];
        }
        return new SyntheticClasses(f, y, z);
    }

    /** A random split of the subjects into the first {@code firstSize} of a shuffle and the rest. */
    public SyntheticClasses[] split(int firstSize, long seed) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        int[] first = Arrays.copyOfRange(order, 0, firstSize);
        int[] rest = Arrays.copyOfRange(order, firstSize, order.length);
        return new SyntheticClasses[] {rows(first), rows(rest)};
    }
}
