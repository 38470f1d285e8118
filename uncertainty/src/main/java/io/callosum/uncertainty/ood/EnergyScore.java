package io.callosum.uncertainty.ood;

import io.callosum.uncertainty.stats.Checks;
import io.callosum.uncertainty.stats.Probabilities;

/**
 * Energy score E(x) = −T · logsumexp(f(x) / T) of a row of logits f(x). In-distribution inputs get large logits
 * for some class and hence low energy; higher energy flags an input as out of distribution.
 */
public final class EnergyScore {
    private EnergyScore() {
    }

    public static double of(double[] logits, double temperature) {
        Checks.temperature(temperature);
        Checks.finiteMatrix(new double[][] {logits}, "logits");
        return energy(logits, temperature);
    }

    /** The energy of every row of logits. */
    public static double[] of(double[][] logits, double temperature) {
        Checks.temperature(temperature);
        Checks.finiteMatrix(logits, "logits");
        double[] energies = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            energies[i] = energy(logits[i], temperature);
        }
        return energies;
    }

    private static double energy(double[] logits, double temperature) {
        double[] scaled = new double[logits.length];
        for (int j = 0; j < logits.length; j++) {
            scaled[j] = logits[j] / temperature;
        }
        return -temperature * Probabilities.logSumExp(scaled);
    }
}
