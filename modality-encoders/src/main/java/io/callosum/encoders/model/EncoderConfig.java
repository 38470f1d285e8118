package io.callosum.encoders.model;

import io.callosum.protocol.tensor.Modality;

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

    /** One modality's encoder of a model whose sizes are shared by all modalities but the patch, which is its own. */
    public static EncoderConfig forModality(Modality modality, int dim, int depth, int heads, int predictorDim,
                                            int predictorDepth, int imagingPatch, int eegPatch, int omicsGroups) {
        int patch = switch (modality) {
            case IMAGING -> imagingPatch;
            case EEG -> eegPatch;
            case OMICS -> 1;
            case SHARED, PLAIN -> throw new IllegalArgumentException("'" + modality + "' has no encoder of its own");
        };
        return new EncoderConfig(dim, depth, heads, predictorDim, predictorDepth, patch, omicsGroups);
    }
}
