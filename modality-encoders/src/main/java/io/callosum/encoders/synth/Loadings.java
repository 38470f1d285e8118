package io.callosum.encoders.synth;

import java.util.SplittableRandom;

/**
 * How a modality's features load on a subject's phenotype: fixed matrices of the cohort's biology, drawn once from
 * their own seeds so that every generated cohort shares them, whatever its seed.
 */
final class Loadings {
    private Loadings() {
    }

    /**
     * A {@code rows × cols} matrix with orthogonal columns, scaled so that the average row has unit norm (or, with
     * fewer rows than columns, orthonormal rows): each feature varies by about one unit per unit of the phenotype,
     * and no component is lost in or amplified by the mixing, as it could be in a random matrix close to singular,
     * where some combination of the components hardly shows in any feature.
     */
    static double[][] orthogonal(int rows, int cols, long seed) {
        if (rows == 0) {
            return new double[0][cols];
        }
        int longer = Math.max(rows, cols);
        int shorter = Math.min(rows, cols);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] basis = new double[shorter][longer];
        for (int j = 0; j < shorter; j++) {
            for (int i = 0; i < longer; i++) {
                basis[j][i] = random.nextGaussian();
            }
            for (int k = 0; k < j; k++) {
                double projection = dot(basis[j], basis[k]);
                for (int i = 0; i < longer; i++) {
                    basis[j][i] -= projection * basis[k][i];
                }
            }
            double norm = Math.sqrt(dot(basis[j], basis[j]));
            for (int i = 0; i < longer; i++) {
                basis[j][i] /= norm;
            }
        }
        double scale = Math.sqrt((double) longer / shorter);
        double[][] matrix = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                matrix[i][j] = rows >= cols ? scale * basis[j][i] : basis[i][j];
            }
        }
        return matrix;
    }

    /** {@code matrix} applied to {@code components}; a subject without them (none given) expresses zeros. */
    static double[] apply(double[][] matrix, double[] components) {
        double[] expressed = new double[matrix.length];
        for (int row = 0; row < expressed.length && components.length > 0; row++) {
            expressed[row] = express(matrix, row, components);
        }
        return expressed;
    }

    /** Row {@code row} of {@code matrix} applied to {@code components}. */
    static double express(double[][] matrix, int row, double[] components) {
        return dot(matrix[row], components);
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
