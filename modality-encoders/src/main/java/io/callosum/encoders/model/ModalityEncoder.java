package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.TransformerEncoderBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.callosum.encoders.data.InputGeometry;

import java.util.ArrayList;
import java.util.List;

/**
 * A modality's encoder: its tokenizer, then a stack of transformer blocks over whichever tokens it is given. As a
 * block, it maps an input batch to pooled embeddings {@code (batch, dim)}: the representation probes and
 * alignment use.
 */
public final class ModalityEncoder extends AbstractBlock {
    private static final byte VERSION = 1;

    private final Tokenizer tokenizer;
    private final List<TransformerEncoderBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final int dim;

    public ModalityEncoder(InputGeometry geometry, EncoderConfig config) {
        super(VERSION);
        this.dim = config.dim();
        this.tokenizer = addChildBlock("tokenizer", tokenizerFor(geometry, config));
        for (int i = 0; i < config.depth(); i++) {
            blocks.add(addChildBlock("block" + i, new TransformerEncoderBlock(config.dim(), config.heads(),
                    4 * config.dim(), 0f, Activation::gelu)));
        }
        this.norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    static Tokenizer tokenizerFor(InputGeometry geometry, EncoderConfig config) {
        if (geometry instanceof InputGeometry.Volume v) {
            return new VolumePatchTokenizer(v.edge(), config.patch(), config.dim());
        }
        if (geometry instanceof InputGeometry.Montage m) {
            return new MontagePatchTokenizer(m.channels(), m.samples(), config.patch(), config.dim());
        }
        InputGeometry.Features f = (InputGeometry.Features) geometry;
        return new FeatureGroupTokenizer(f.features(), config.groups(), config.dim());
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public int dim() {
        return dim;
    }

    /** All tokens of {@code input}, embedded with positions: {@code (batch, tokens, dim)}. */
    public NDArray tokens(ParameterStore store, NDArray input, boolean training) {
        return tokenizer.forward(store, new NDList(input), training).singletonOrThrow();
    }

    /** Runs the transformer over a subset of tokens ({@code indices} into the token axis, or all when null). */
    public NDArray encode(ParameterStore store, NDArray tokens, NDArray indices, boolean training) {
        NDArray h = indices == null ? tokens : tokens.get(new NDIndex(":, {}", indices));
        for (TransformerEncoderBlock block : blocks) {
            h = block.forward(store, new NDList(h), training).singletonOrThrow();
        }
        return norm.forward(store, new NDList(h), training).singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                                     PairList<String, Object> params) {
        NDArray tokens = tokens(store, inputs.singletonOrThrow(), training);
        return new NDList(encode(store, tokens, null, training).mean(new int[] {1}));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), dim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        tokenizer.initialize(manager, dataType, inputShapes);
        Shape tokens = new Shape(inputShapes[0].get(0), tokenizer.tokenCount(), dim);
        for (TransformerEncoderBlock block : blocks) {
            block.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
    }
}
