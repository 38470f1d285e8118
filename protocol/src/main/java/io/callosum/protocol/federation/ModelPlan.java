package io.callosum.protocol.federation;

import io.callosum.protocol.flower.proto.Transport.Scalar;

import java.util.Map;

/**
 * The encoder architecture every site of a federation builds, so that their tensors line up: sent with every
 * instruction, since a site may first hear from the coordinator in any of them.
 */
public record ModelPlan(int dim, int depth, int heads, int predictorDim, int predictorDepth, int imagingPatch,
                        int eegPatch, int omicsGroups, long seed) {
    private static final String PREFIX = "callosum.model.";

    public static ModelPlan defaults() {
        return new ModelPlan(64, 3, 4, 32, 2, 8, 64, 20, 7);
    }

    public void writeTo(Map<String, Scalar> config) {
        config.put(PREFIX + "dim", ScalarMaps.of(dim));
        config.put(PREFIX + "depth", ScalarMaps.of(depth));
        config.put(PREFIX + "heads", ScalarMaps.of(heads));
        config.put(PREFIX + "predictor_dim", ScalarMaps.of(predictorDim));
        config.put(PREFIX + "predictor_depth", ScalarMaps.of(predictorDepth));
        config.put(PREFIX + "imaging_patch", ScalarMaps.of(imagingPatch));
        config.put(PREFIX + "eeg_patch", ScalarMaps.of(eegPatch));
        config.put(PREFIX + "omics_groups", ScalarMaps.of(omicsGroups));
        config.put(PREFIX + "seed", ScalarMaps.of(seed));
    }

    public static ModelPlan from(Map<String, Scalar> config, String where) {
        return new ModelPlan(
                ScalarMaps.positiveInt(config, PREFIX + "dim", where),
                ScalarMaps.positiveInt(config, PREFIX + "depth", where),
                ScalarMaps.positiveInt(config, PREFIX + "heads", where),
                ScalarMaps.positiveInt(config, PREFIX + "predictor_dim", where),
                ScalarMaps.positiveInt(config, PREFIX + "predictor_depth", where),
                ScalarMaps.positiveInt(config, PREFIX + "imaging_patch", where),
                ScalarMaps.positiveInt(config, PREFIX + "eeg_patch", where),
                ScalarMaps.positiveInt(config, PREFIX + "omics_groups", where),
                ScalarMaps.integer(config, PREFIX + "seed", where));
    }
}
