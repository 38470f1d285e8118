package io.callosum.alignment.space;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Maps one modality's frozen encoder embedding {@code (batch, width)} into the shared space {@code (batch, d)}:
 * LayerNorm of the input (encoders of different modalities pool to different scales), then a GELU MLP with one
 * hidden layer, or one linear map when the hidden width is 0, then L2 normalization so that dot products are
 * cosines.
 */
public final class ProjectionHead extends AbstractBlock {
    /** The input LayerNorm's scale, one value per input feature: the head's tensors say its input width by it. */
    static final String INPUT_WIDTH_PARAMETER = "01norm_gamma";
    private static final byte VERSION = 1;
    private static final float MIN_NORM = 1e-12f;

    private final int inputWidth;
    private final int hiddenDim;
    private final int sharedDim;
    private final LayerNorm norm;
    private final Linear hidden;
    private final Linear out;

    public ProjectionHead(int inputWidth, int hiddenDim, int sharedDim) {
        super(VERSION);
        if (inputWidth < 1) {
            throw new IllegalArgumentException("input width must be positive, got " + inputWidth);
        }
        this.inputWidth = inputWidth;
        this.hiddenDim = hiddenDim;
        this.sharedDim = sharedDim;
        this.norm = addChildBlock("norm", LayerNorm.builder().axis(1).build());
        this.hidden = hiddenDim > 0 ? addChildBlock("hidden", Linear.builder().setUnits(hiddenDim).build()) : null;
        this.out = addChildBlock("out", Linear.builder().setUnits(sharedDim).build());
    }

    public int inputWidth() {
        return inputWidth;
    }

    public int sharedDim() {
        return sharedDim;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray h = norm.forward(store, inputs, training).singletonOrThrow();
        if (hidden != null) {
            h = Activation.gelu(hidden.forward(store, new NDList(h), training).singletonOrThrow());
        }
        NDArray z = out.forward(store, new NDList(h), training).singletonOrThrow();
        return new NDList(z.div(z.norm(new int[] {1}, true).maximum(MIN_NORM)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), sharedDim)};
    }

    /** The width is the head's own, whatever shapes initialization is given. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = new Shape(1, inputWidth);
        norm.initialize(manager, dataType, input);
        if (hidden != null) {
            hidden.initialize(manager, dataType, input);
            out.initialize(manager, dataType, new Shape(1, hiddenDim));
        } else {
            out.initialize(manager, dataType, input);
        }
    }
}
