package io.callosum.encoders.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;

/** MRI/PET: non-overlapping cubic patches of {@code patch}³ voxels, each projected linearly (a 3-D ViT stem). */
public final class VolumePatchTokenizer extends Tokenizer {
    private final int edge;
    private final int patch;
    private final int perEdge;
    private final Linear projection;

    public VolumePatchTokenizer(int edge, int patch, int dim) {
        super(dim, cube(edge / patch));
        if (edge % patch != 0) {
            throw new IllegalArgumentException("volume edge " + edge + " is not a multiple of the patch " + patch);
        }
        this.edge = edge;
        this.patch = patch;
        this.perEdge = edge / patch;
        this.projection = addChildBlock("projection", Linear.builder().setUnits(dim).build());
    }

    @Override
    public int tokenCount() {
        return cube(perEdge);
    }

    @Override
    public int[] grid() {
        return new int[] {perEdge, perEdge, perEdge};
    }

    @Override
    protected NDArray embed(ParameterStore store, NDArray input, boolean training) {
        return projection.forward(store, new NDList(patches(input)), training).singletonOrThrow();
    }

    /** {@code (batch, edge³)} with x fastest to {@code (batch, tokens, patch³)}; token index (z·n + y)·n + x. */
    NDArray patches(NDArray input) {
        long batch = input.getShape().get(0);
        return input.reshape(batch, perEdge, patch, perEdge, patch, perEdge, patch)
                .transpose(0, 1, 3, 5, 2, 4, 6)
                .reshape(batch, tokenCount(), (long) patch * patch * patch);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        projection.initialize(manager, dataType, new Shape(1, tokenCount(), (long) patch * patch * patch));
    }

    private static int cube(int n) {
        return n * n * n;
    }

    @Override
    public String toString() {
        return "VolumePatchTokenizer(" + edge + "³ in " + patch + "³ patches)";
    }
}
