package io.callosum.uncertainty.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A 16-dimensional embedding space with three diagnosis classes and an anisotropic shared covariance; the
 * out-of-distribution site has an unseen scanner: a gain on every dimension and an offset along a random direction.
 */
class OodTest {
    private static final int DIM = 16;
    private static final int CLASSES = 3;

    private record Cohort(float[][] embeddings, int[] labels) {
    }

    private static final class EmbeddingSpace {
        final double[][] means = new double[CLASSES][DIM];
        final double[] scales = new double[DIM];
        final double[] scannerOffset = new double[DIM];

        EmbeddingSpace(Random random) {
            for (int j = 0; j < DIM; j++) {
                scales[j] = 0.3 + 1.7 * j / (DIM - 1);
                for (int k = 0; k < CLASSES; k++) {
                    means[k][j] = 1.2 * random.nextGaussian();
                }
            }
            double norm = 0;
            for (int j = 0; j < DIM; j++) {
                scannerOffset[j] = random.nextGaussian();
                norm += scannerOffset[j] * scannerOffset[j];
            }
            for (int j = 0; j < DIM; j++) {
                scannerOffset[j] *= 3.5 / Math.sqrt(norm);
            }
        }

        Cohort sample(int n, double gain, double offset, Random random) {
            float[][] x = new float[n][DIM];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = random.nextInt(CLASSES);
                for (int j = 0; j < DIM; j++) {
                    x[i][j] = (float) (gain * (means[y[i]][j] + scales[j] * random.nextGaussian())
                            + offset * scannerOffset[j]);
                }
            }
            return new Cohort(x, y);
        }
    }

    @Test
    void aSiteWithAnUnseenScannerShiftIsFlagged() {
        Random random = new Random(41);
        EmbeddingSpace space = new EmbeddingSpace(random);
        Cohort train = space.sample(3000, 1, 0, random);
        Cohort heldOut = space.sample(1000, 1, 0, random);
        Cohort shifted = space.sample(1000, 1.2, 1, random);
        GaussianClassModel model = GaussianClassModel.fit(train.embeddings(), train.labels(), 0.01);

        double mahalanobis = Auroc.of(model.mahalanobis(heldOut.embeddings()), model.mahalanobis(shifted.embeddings()));
        double energy = Auroc.of(model.energy(heldOut.embeddings()), model.energy(shifted.embeddings()));
        assertTrue(mahalanobis >= 0.9, "Mahalanobis AUROC " + mahalanobis);
        assertTrue(energy >= 0.9, "Gaussian energy AUROC " + energy);

        Cohort moreHeldOut = space.sample(1000, 1, 0, random);
        double unshifted = Auroc.of(model.mahalanobis(heldOut.embeddings()),
                model.mahalanobis(moreHeldOut.embeddings()));
        assertTrue(Math.abs(unshifted - 0.5) < 0.05, "fresh in-distribution subjects are not flagged: " + unshifted);
    }

    @Test
    void energyIsMinusTemperatureTimesLogSumExp() {
        assertEquals(-Math.log(2), EnergyScore.of(new double[] {0, 0}, 1), 1e-12);
        assertEquals(-2 * Math.log(Math.exp(0.5) + Math.exp(1.5)), EnergyScore.of(new double[] {1, 3}, 2), 1e-12);
        assertEquals(-1000 - Math.log(2), EnergyScore.of(new double[] {1000, 1000}, 1), 1e-9,
                "large logits do not overflow");
        double[] energies = EnergyScore.of(new double[][] {{5, 0, 0}, {0.1, 0, 0}}, 1);
        assertTrue(energies[0] < energies[1], "a confident row has lower energy");
        assertThrows(IllegalArgumentException.class, () -> EnergyScore.of(new double[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> EnergyScore.of(new double[] {1, Double.NaN}, 1));
    }

    @Test
    void fullShrinkageMeasuresEuclideanDistanceInUnitsOfTheAverageVariance() {
        float[][] x = {{1, 0}, {-1, 0}, {0, 3}, {0, -3}};
        GaussianClassModel model = GaussianClassModel.fit(x, new int[] {0, 0, 0, 0}, 1);
        double averageVariance = (0.5 + 4.5) / 2;
        assertEquals((4 + 1) / averageVariance, model.mahalanobis(new float[] {2, 1}), 1e-9);
        GaussianClassModel exact = GaussianClassModel.fit(x, new int[] {0, 0, 0, 0}, 0);
        assertEquals(4 / 0.5 + 1 / 4.5, exact.mahalanobis(new float[] {2, 1}), 1e-9);
    }

    @Test
    void refusesSingularCovarianceMissingClassesAndWrongDimensions() {
        float[][] few = {{1, 2, 3, 4, 5}, {2, 3, 4, 5, 7}, {0, 1, 1, 2, 2}};
        IllegalArgumentException singular = assertThrows(IllegalArgumentException.class,
                () -> GaussianClassModel.fit(few, new int[] {0, 0, 0}, 0));
        assertTrue(singular.getMessage().contains("singular"), singular.getMessage());
        GaussianClassModel model = GaussianClassModel.fit(few, new int[] {0, 0, 0}, 0.1);
        IllegalArgumentException dimension = assertThrows(IllegalArgumentException.class,
                () -> model.mahalanobis(new float[] {1, 2}));
        assertTrue(dimension.getMessage().contains("2 dimensions, the model was fitted on 5"), dimension.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> GaussianClassModel.fit(few, new int[] {0, 2, 2}, 0.1));
        assertTrue(missing.getMessage().contains("class 1 has no embeddings"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> GaussianClassModel.fit(few, new int[] {0, 0}, 0.1));
    }
}
