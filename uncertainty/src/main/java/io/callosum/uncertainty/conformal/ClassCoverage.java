package io.callosum.uncertainty.conformal;

/**
 * Empirical coverage and average set size among the evaluated subjects whose true label is {@code label}; NaN for
 * both when no such subject was evaluated.
 */
public record ClassCoverage(int label, int subjects, double coverage, double averageSetSize) {
}
