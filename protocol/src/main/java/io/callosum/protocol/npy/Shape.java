package io.callosum.protocol.npy;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An array shape; {@code ()} is a 0-d scalar. Immutable. */
public record Shape(long[] dims) {

    public Shape {
        dims = dims.clone();
        for (int axis = 0; axis < dims.length; axis++) {
            if (dims[axis] < 0) {
                throw new IllegalArgumentException("negative dimension " + dims[axis] + " on axis " + axis);
            }
        }
    }

    public static Shape of(long... dims) {
        return new Shape(dims);
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long dim(int axis) {
        return dims[axis];
    }

    /** The number of elements, refusing shapes whose count overflows a long. */
    public long elementCount() {
        long count = 1;
        for (long dim : dims) {
            count = Math.multiplyExact(count, dim);
        }
        return count;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Shape shape && Arrays.equals(dims, shape.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Python's tuple notation, as numpy writes shapes: {@code ()}, {@code (7,)}, {@code (3, 4)}. */
    @Override
    public String toString() {
        if (dims.length == 1) {
            return "(" + dims[0] + ",)";
        }
        return Arrays.stream(dims).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
    }
}
