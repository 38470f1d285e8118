package io.callosum.protocol.tensor;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.Shape;

import java.util.Objects;
import java.util.regex.Pattern;

/** What a named tensor is, without its values: the unit of a {@link TensorManifest}. */
public record TensorSpec(String name, Modality modality, DType dtype, Shape shape) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.:/\\-]{0,255}");

    public TensorSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(modality, "modality");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("tensor name '" + name
                    + "' must be 1-256 characters of letters, digits and _ . : / -");
        }
    }
}
