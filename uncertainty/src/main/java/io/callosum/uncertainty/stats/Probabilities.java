package io.callosum.uncertainty.stats;

/** Numerically stable log-sum-exp and softmax over logits, and the top label of a row. */
public final class Probabilities {
    private Probabilities() {
    }

    /** log Σ exp(z_j), computed around the maximum so that large logits do not overflow. */
    public static double logSumExp(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double z : logits) {
            max = Math.max(max, z);
        }
        double sum = 0;
        for (double z : logits) {
            sum += Math.exp(z - max);
        }
        return max + Math.log(sum);
    }

    /** softmax(z / T) of one row of logits. */
    public static double[] softmax(double[] logits, double temperature) {
        double[] scaled = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            scaled[j] = logits[j] / temperature;
        }
        double log = logSumExp(scaled);
        for (int j = 0; j < scaled.length; j++) {
            scaled[j] = Math.exp(scaled[j] - log);
        }
        return scaled;
    }

    /** softmax(z / T) of every row; refuses empty, ragged or non-finite logits and a bad temperature. */
    public static double[][] softmax(double[][] logits, double temperature) {
        Checks.finiteMatrix(logits, "logits");
        Checks.temperature(temperature);
        double[][] out = new double[logits.length][];
        for (int i = 0; i < logits.length; i++) {
            out[i] = softmax(logits[i], temperature);
        }
        return out;
    }

    /** Index of the largest entry; the lowest index wins ties. */
    public static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }
}
