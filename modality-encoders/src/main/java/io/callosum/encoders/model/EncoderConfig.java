package io.callosum.encoders.model;

/**
 * Sizes of a modality encoder and its JEPA predictor. {@code patch} is the imaging patch edge or the EEG patch
 * length in samples; {@code groups} the number of omics feature groups.
 */
public record EncoderConfig(int dim, int depth, int heads, int predictorDim, int predictorDepth, int patch,
                            int groups) {

    public EncoderConfig {
        if (dim % heads != 0 || predictorDim % heads != 0) {
            throw new IllegalArgumentException("dims " + dim + " and " + predictorDim + " must divide into " + heads
                    + " heads");
        }
    }

    /** Small enough to train on a laptop CPU in minutes. */
    public static EncoderConfig small(int patch, int groups) {
        return new EncoderConfig(64, 3, 4, 32, 2, patch, groups);
    }
}
