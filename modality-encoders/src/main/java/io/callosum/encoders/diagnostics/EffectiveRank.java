package io.callosum.encoders.diagnostics;

/**
 * Effective rank (Roy and Vetterli 2007) of a set of embeddings: exp of the entropy of the normalized singular values
 * of the embedding matrix itself, not centred, as RankMe (Garrido et al. 2023) uses it for JEPA collapse. D for
 * isotropic zero-mean embeddings; near 1 when every input maps to (almost) the same vector, however the small
 * remainder is spread.
 */
public final class EffectiveRank {
    private static final int SWEEPS = 60;

    private EffectiveRank() {
    }

    public static double of(float[][] embeddings) {
        double[] eigenvalues = symmetricEigenvalues(gram(embeddings));
        double total = 0;
        double[] singular = new double[eigenvalues.length];
        for (int i = 0; i < eigenvalues.length; i++) {
            singular[i] = Math.sqrt(Math.max(0, eigenvalues[i]));
            total += singular[i];
        }
        if (total == 0) {
            return 0;
        }
        double entropy = 0;
        for (double s : singular) {
            double p = s / total;
            if (p > 0) {
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /** ZᵀZ, whose eigenvalues are the squared singular values of Z. */
    private static double[][] gram(float[][] z) {
        int d = z[0].length;
        double[][] g = new double[d][d];
        for (float[] row : z) {
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    g[a][b] += (double) row[a] * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                g[a][b] = g[b][a];
            }
        }
        return g;
    }

    /** Cyclic Jacobi rotations: simple and exact enough for the few hundred dimensions of an embedding. */
    static double[] symmetricEigenvalues(double[][] matrix) {
        int n = matrix.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = matrix[i].clone();
        }
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-22) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] eigenvalues = new double[n];
        for (int i = 0; i < n; i++) {
            eigenvalues[i] = a[i][i];
        }
        return eigenvalues;
    }
}
