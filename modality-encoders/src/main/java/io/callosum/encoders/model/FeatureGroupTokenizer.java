package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * Omics: features in contiguous groups (pathway-sized blocks), each group projected by its own weights from its
 * values and their observed-masks, so a missing value is seen as missing rather than as zero.
 */
public final class FeatureGroupTokenizer extends Tokenizer {
    private final int features;
    private final int groups;
    private final int groupSize;
    private final Parameter weight;
    private final Parameter bias;

    public FeatureGroupTokenizer(int features, int groups, int dim) {
        super(dim, groups);
        if (features % groups != 0) {
            throw new IllegalArgumentException(features + " features do not split into " + groups + " equal groups");
        }
        this.features = features;
        this.groups = groups;
        this.groupSize = features / groups;
        this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(groups, 2L * groupSize, dim)).build());
        this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(groups, dim)).build());
    }

    @Override
    public int tokenCount() {
        return groups;
    }

    @Override
    public int[] grid() {
        return new int[] {groups};
    }

    @Override
    protected NDArray embed(ParameterStore store, NDArray input, boolean training) {
        long batch = input.getShape().get(0);
        NDArray values = input.get(":, :" + features).reshape(batch, groups, groupSize);
        NDArray observed = input.get(":, " + features + ":").reshape(batch, groups, groupSize);
        NDArray perGroup = NDArrays.concat(new NDList(values, observed), 2).transpose(1, 0, 2);
        NDArray projected = perGroup.matMul(store.getValue(weight, input.getDevice(), training)).transpose(1, 0, 2);
        return projected.add(store.getValue(bias, input.getDevice(), training));
    }
}
