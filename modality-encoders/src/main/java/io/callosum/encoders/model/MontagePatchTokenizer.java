package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * EEG: every channel cut into time patches of {@code patch} samples, projected linearly, plus a learned embedding
 * of the channel, so that one projection serves all electrodes and the model still knows where each lies.
 */
public final class MontagePatchTokenizer extends Tokenizer {
    private final int channels;
    private final int patch;
    private final int timePatches;
    private final Linear projection;
    private final Parameter channelEmbedding;

    public MontagePatchTokenizer(int channels, int samples, int patch, int dim) {
        super(dim, channels * (samples / patch));
        this.channels = channels;
        this.patch = patch;
        this.timePatches = samples / patch;
        if (timePatches < 2) {
            throw new IllegalArgumentException(samples + " samples make fewer than two patches of " + patch);
        }
        this.projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
        this.channelEmbedding = addParameter(Parameter.builder().setName("channels").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(channels, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    public int tokenCount() {
        return channels * timePatches;
    }

    @Override
    public int[] grid() {
        return new int[] {channels, timePatches};
    }

    @Override
    protected NDArray embed(ParameterStore store, NDArray input, boolean training) {
        long batch = input.getShape().get(0);
        NDArray patches = input.reshape(batch, channels, timePatches * (long) patch)
                .get(":, :, :" + (long) timePatches * patch)
                .reshape(batch, tokenCount(), patch);
        NDArray tokens = projection.forward(store, new NDList(patches), training).singletonOrThrow();
        NDArray perChannel = store.getValue(channelEmbedding, input.getDevice(), training)
                .expandDims(1).repeat(1, timePatches).reshape(tokenCount(), dim);
        return tokens.add(perChannel);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, new Shape(1, tokenCount(), patch));
    }
}
