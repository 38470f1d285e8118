package io.callosum.site.training;

import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.tensor.Modality;

/**
 * The encoder architecture every site of a federation must share, and the seed of its initial weights: sites built
 * with equal settings start from identical weights and exchange tensors of identical names and shapes.
 * {@code imagingPatch} is the patch edge in voxels, {@code eegPatch} the patch length in samples.
 */
public record ModelSettings(int dim, int depth, int heads, int predictorDim, int predictorDepth, int imagingPatch,
                            int eegPatch, int omicsGroups, long seed) {

    public ModelSettings {
        positive("dim", dim);
        positive("depth", depth);
        positive("heads", heads);
        positive("predictorDim", predictorDim);
        positive("predictorDepth", predictorDepth);
        positive("imagingPatch", imagingPatch);
        positive("eegPatch", eegPatch);
        positive("omicsGroups", omicsGroups);
    }

    /** The pretraining command's defaults: 64-wide, 3 blocks, 8³ imaging patches, 64-sample EEG patches. */
    public static ModelSettings defaults() {
        return new ModelSettings(64, 3, 4, 32, 2, 8, 64, 20, 7);
    }

    public EncoderConfig encoderConfig(Modality modality) {
        return EncoderConfig.forModality(modality, dim, depth, heads, predictorDim, predictorDepth, imagingPatch,
                eegPatch, omicsGroups);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
