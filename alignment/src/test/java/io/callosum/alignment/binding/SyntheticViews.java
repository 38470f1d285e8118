package io.callosum.alignment.binding;

import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.protocol.tensor.Modality;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Stand-ins for frozen encoder embeddings with a known ground truth: each subject has a latent vector, and each
 * modality sees it through its own random two-layer tanh map plus noise of its own, so that only the latent links
 * one modality's embedding of a subject to another's.
 */
final class SyntheticViews {
    private static final int MAP_HIDDEN = 64;

    private final double[][] latent;
    private final Map<Modality, double[][]> firstLayer = new EnumMap<>(Modality.class);
    private final Map<Modality, double[][]> secondLayer = new EnumMap<>(Modality.class);
    private final double noise;
    private final long seed;

    SyntheticViews(int subjects, int latentDim, Map<Modality, Integer> widths, double noise, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        this.latent = gaussian(subjects, latentDim, 1, random);
        this.noise = noise;
        this.seed = seed;
        widths.forEach((modality, width) -> {
            firstLayer.put(modality, gaussian(MAP_HIDDEN, latentDim, 1.5 / Math.sqrt(latentDim), random));
            secondLayer.put(modality, gaussian(width, MAP_HIDDEN, 1 / Math.sqrt(MAP_HIDDEN), random));
        });
    }

    static String subjectId(int index) {
        return String.format(Locale.ROOT, "sub-%04d", index + 1);
    }

    /** {@code modality}'s embeddings of subjects {@code from} (inclusive) to {@code to} (exclusive). */
    SubjectEmbeddings embeddings(Modality modality, int from, int to) {
        double[][] w1 = firstLayer.get(modality);
        double[][] w2 = secondLayer.get(modality);
        List<String> ids = new ArrayList<>();
        float[][] vectors = new float[to - from][w2.length];
        for (int s = from; s < to; s++) {
            ids.add(subjectId(s));
            SplittableRandom own = new SplittableRandom(seed * 31 + s * 7L + modality.ordinal());
            double[] hidden = new double[w1.length];
            for (int h = 0; h < w1.length; h++) {
                double sum = 0;
                for (int k = 0; k < latent[s].length; k++) {
                    sum += w1[h][k] * latent[s][k];
                }
                hidden[h] = Math.tanh(sum);
            }
            for (int o = 0; o < w2.length; o++) {
                double sum = 0;
                for (int h = 0; h < hidden.length; h++) {
                    sum += w2[o][h] * hidden[h];
                }
                vectors[s - from][o] = (float) (sum + noise * own.nextGaussian());
            }
        }
        return new SubjectEmbeddings(modality, ids, vectors);
    }

    private static double[][] gaussian(int rows, int columns, double scale, SplittableRandom random) {
        double[][] values = new double[rows][columns];
        for (double[] row : values) {
            for (int j = 0; j < columns; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return values;
    }
}
