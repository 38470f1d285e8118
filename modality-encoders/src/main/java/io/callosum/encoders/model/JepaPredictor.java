package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * Predicts the representations of masked tokens from the context: a narrow transformer over the projected context
 * embeddings followed by one mask token per target, each carrying its target's position.
 * Inputs: context {@code (batch, contextTokens, dim)}, context indices, target indices.
 */
public final class JepaPredictor extends AbstractBlock {
    private static final byte VERSION = 1;

    private final int tokenCount;
    private final int dim;
    private final int predictorDim;
    private final Linear input;
    private final Linear output;
    private final LayerNorm norm;
    private final List<TransformerEncoderBlock> blocks = new ArrayList<>();
    private final Parameter maskToken;
    private final Parameter positions;

    public JepaPredictor(int tokenCount, EncoderConfig config) {
        super(VERSION);
        this.tokenCount = tokenCount;
        this.dim = config.dim();
        this.predictorDim = config.predictorDim();
        this.input = addChildBlock("input", Linear.builder().setUnits(predictorDim).build());
        for (int i = 0; i < config.predictorDepth(); i++) {
            blocks.add(addChildBlock("block" + i, new TransformerEncoderBlock(predictorDim, config.heads(),
                    4 * predictorDim, 0f, Activation::gelu)));
        }
        this.norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        this.output = addChildBlock("output", Linear.builder().setUnits(dim).build());
        this.maskToken = addParameter(Parameter.builder().setName("mask").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, 1, predictorDim)).optInitializer(new NormalInitializer(0.02f)).build());
        this.positions = addParameter(Parameter.builder().setName("positions").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(tokenCount, predictorDim)).optInitializer(new NormalInitializer(0.02f)).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray context = inputs.get(0);
        NDArray contextIndices = inputs.get(1);
        NDArray targetIndices = inputs.get(2);
        long batch = context.getShape().get(0);
        long targets = targetIndices.getShape().get(0);
        NDArray table = store.getValue(positions, context.getDevice(), training);
        NDArray h = input.forward(store, new NDList(context), training).singletonOrThrow()
                .add(table.get(new NDIndex("{}", contextIndices)));
        NDArray queries = store.getValue(maskToken, context.getDevice(), training)
                .add(table.get(new NDIndex("{}", targetIndices)).expandDims(0))
                .repeat(0, batch);
        h = NDArrays.concat(new NDList(h, queries), 1);
        for (TransformerEncoderBlock block : blocks) {
            h = block.forward(store, new NDList(h), training).singletonOrThrow();
        }
        h = norm.forward(store, new NDList(h), training).singletonOrThrow();
        long total = h.getShape().get(1);
        NDArray predicted = h.get(new NDIndex(":, {}:", total - targets));
        return output.forward(store, new NDList(predicted), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), inputShapes[2].get(0), dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        input.initialize(manager, dataType, new Shape(1, tokenCount, dim));
        Shape hidden = new Shape(1, tokenCount, predictorDim);
        for (TransformerEncoderBlock block : blocks) {
            block.initialize(manager, dataType, hidden);
        }
        norm.initialize(manager, dataType, hidden);
        output.initialize(manager, dataType, hidden);
    }
}
