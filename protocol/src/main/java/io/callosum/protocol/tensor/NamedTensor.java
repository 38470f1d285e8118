package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.NpyArray;

import java.util.Objects;

/** A tensor with the name and modality that route it through training and aggregation. */
public record NamedTensor(String name, Modality modality, NpyArray array) {

    public NamedTensor {
        Objects.requireNonNull(array, "array");
        new TensorSpec(name, modality, array.dtype(), array.shape());
    }

    public TensorSpec spec() {
        return new TensorSpec(name, modality, array.dtype(), array.shape());
    }
}
