package io.callosum.encoders.jepa;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.model.JepaPredictor;
import io.callosum.encoders.model.ModalityEncoder;

/** Encoder and predictor as one block, so that one optimizer trains both; as a block it returns embeddings. */
public final class JepaModel extends AbstractBlock {
    private static final byte VERSION = 1;

    private final ModalityEncoder encoder;
    private final JepaPredictor predictor;

    public JepaModel(InputGeometry geometry, EncoderConfig config) {
        super(VERSION);
        this.encoder = addChildBlock("encoder", new ModalityEncoder(geometry, config));
        this.predictor = addChildBlock("predictor", new JepaPredictor(encoder.tokenizer().tokenCount(), config));
    }

    public ModalityEncoder encoder() {
        return encoder;
    }

    public JepaPredictor predictor() {
        return predictor;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        return encoder.forward(store, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return encoder.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, inputShapes);
        long tokens = encoder.tokenizer().tokenCount();
        predictor.initialize(manager, dataType, new Shape(1, tokens, encoder.dim()), new Shape(tokens),
                new Shape(tokens));
    }
}
