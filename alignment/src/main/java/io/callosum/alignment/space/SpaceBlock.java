package io.callosum.alignment.space;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.callosum.protocol.tensor.Modality;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Every projection head a site holds and the loss parameters, as one block so that one optimizer trains them
 * together. Its forward pass takes one batch per head, in modality order, and projects each through its own head.
 */
final class SpaceBlock extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Map<Modality, ProjectionHead> heads = new EnumMap<>(Modality.class);
    private final LossParameters loss;

    SpaceBlock(Map<Modality, Integer> inputWidths, AlignmentConfig config) {
        super(VERSION);
        new EnumMap<>(inputWidths).forEach((modality, width) -> heads.put(modality,
                addChildBlock(HeadNames.headBlock(modality),
                        new ProjectionHead(width, config.hiddenDim(), config.sharedDim()))));
        this.loss = addChildBlock("loss", new LossParameters(config));
    }

    Map<Modality, ProjectionHead> heads() {
        return Collections.unmodifiableMap(heads);
    }

    LossParameters loss() {
        return loss;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        requireOnePerHead(inputs.size());
        NDList projected = new NDList();
        int i = 0;
        for (ProjectionHead head : heads.values()) {
            projected.addAll(head.forward(store, new NDList(inputs.get(i++)), training, params));
        }
        return projected;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        requireOnePerHead(inputShapes.length);
        Shape[] out = new Shape[inputShapes.length];
        int i = 0;
        for (ProjectionHead head : heads.values()) {
            out[i] = head.getOutputShapes(new Shape[] {inputShapes[i]})[0];
            i++;
        }
        return out;
    }

    private void requireOnePerHead(int inputs) {
        if (inputs != heads.size()) {
            throw new IllegalArgumentException("the shared space takes one batch per head " + heads.keySet()
                    + ", in that order; got " + inputs);
        }
    }

    /** Each head initializes at its own input width; the loss parameters are scalars. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        heads.values().forEach(head -> head.initialize(manager, dataType, new Shape(1, head.inputWidth())));
        loss.initialize(manager, dataType, new Shape(1));
    }
}
