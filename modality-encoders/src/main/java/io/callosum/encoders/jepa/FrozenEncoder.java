package io.callosum.encoders.jepa;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;

/**
 * One modality's encoder with given weights, for embedding only: no dataset, no optimizer, no teacher. How a
 * stored version is served; on DJL's default device, a GPU when there is one.
 */
public final class FrozenEncoder implements AutoCloseable {
    private static final String MODEL_NAME = "frozen-encoder";

    private final Model model;
    private final JepaModel block;
    private final ParameterStore store;

    /**
     * Builds the encoder of {@code geometry} and {@code config} and sets its weights from {@code weights}, refusing
     * (IllegalArgumentException, nothing built) a missing tensor, a wrong shape or a non-finite value.
     */
    public FrozenEncoder(Modality modality, InputGeometry geometry, EncoderConfig config, TensorSet weights) {
        this.block = new JepaModel(geometry, config);
        this.model = Model.newInstance(MODEL_NAME, Engine.getInstance().defaultDevice());
        try {
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, geometry.inputLength()));
            new ModelTensors(modality, block.getParameters()).load(weights);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.store = new ParameterStore(model.getNDManager(), false);
    }

    /** Pooled embeddings of {@code inputs} (rows of the geometry's input length). */
    public float[][] embed(float[][] inputs) {
        return PooledEmbeddings.of(block.encoder(), store, model.getNDManager(), model.getNDManager().getDevice(),
                inputs);
    }

    /**
     * Per input, mean and standard deviation over tokens of the tokenizer's output (twice the width): how the raw
     * acquisition looks to the model, for out-of-distribution checks the pooled embedding is trained to see past.
     */
    public float[][] tokenStatistics(float[][] inputs) {
        return PooledEmbeddings.tokenStatistics(block.encoder(), store, model.getNDManager(),
                model.getNDManager().getDevice(), inputs);
    }

    @Override
    public void close() {
        model.close();
    }
}
