package io.callosum.encoders.diagnostics;

/** How good a set of embeddings is: held-out linear-probe accuracy, effective rank and the SIGReg statistic. */
public record EmbeddingReport(double probeAccuracy, double effectiveRank, int dimension, double sigReg) {

    public double rankFraction() {
        return effectiveRank / dimension;
    }
}
