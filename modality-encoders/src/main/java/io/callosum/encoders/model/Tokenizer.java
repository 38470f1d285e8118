package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * Cuts one modality's flat input {@code (batch, inputLength)} into {@code (batch, tokens, dim)} embedded tokens,
 * position included. Subclasses embed the tokens; this class adds the positions.
 */
public abstract class Tokenizer extends AbstractBlock {
    private static final byte VERSION = 1;

    protected final int dim;
    private final Parameter positions;

    protected Tokenizer(int dim, int tokenCount) {
        super(VERSION);
        this.dim = dim;
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(tokenCount, dim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    public abstract int tokenCount();

    /** The token grid for masking, e.g. {@code {nz, ny, nx}} or {@code {channels, timePatches}}. */
    public abstract int[] grid();

    /** Embeds the tokens of {@code input} without positions: {@code (batch, tokens, dim)}. */
    protected abstract NDArray embed(ParameterStore store, NDArray input, boolean training);

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        NDArray tokens = embed(store, input, training);
        return new NDList(tokens.add(store.getValue(positions, input.getDevice(), training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), tokenCount(), dim)};
    }
}
