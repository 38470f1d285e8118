package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/** Builds a canonical (little-endian, C-order) float32 or float64 array from chunks of doubles. */
final class ChunkWriter {
    private final DType dtype;
    private final Shape shape;
    private final ByteBuffer bytes;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final float[] floatChunk;

    ChunkWriter(DType dtype, Shape shape) {
        if (!ChunkReader.isAggregated(dtype)) {
            throw new IllegalArgumentException("only float32 and float64 arrays are aggregated, got " + dtype);
        }
        this.dtype = dtype;
        this.shape = shape;
        this.bytes = ByteBuffer.allocate(Math.toIntExact(Math.multiplyExact(shape.elementCount(), dtype.itemSize())))
                .order(ByteOrder.LITTLE_ENDIAN);
        boolean single = dtype == DType.FLOAT32;
        this.floats = single ? bytes.asFloatBuffer() : null;
        this.doubles = single ? null : bytes.asDoubleBuffer();
        this.floatChunk = single ? new float[ChunkReader.CHUNK] : null;
    }

    /** {@code array} itself when already canonical, otherwise a canonical copy with the same values. */
    static NpyArray canonical(NpyArray array) {
        if (array.isCanonical()) {
            return array;
        }
        return copy(array, new double[ChunkReader.CHUNK]);
    }

    /** Writes {@code values} whole into a new canonical array of {@code dtype} (float32 rounds to nearest). */
    static NpyArray of(DType dtype, Shape shape, double[] values) {
        ChunkWriter writer = new ChunkWriter(dtype, shape);
        for (int from = 0; from < values.length; from += ChunkReader.CHUNK) {
            writer.put(values, from, Math.min(ChunkReader.CHUNK, values.length - from));
        }
        return writer.toArray();
    }

    private static NpyArray copy(NpyArray array, double[] chunk) {
        ChunkReader reader = ChunkReader.of(array);
        ChunkWriter writer = new ChunkWriter(array.dtype(), array.shape());
        for (int n = reader.next(chunk); n > 0; n = reader.next(chunk)) {
            writer.put(chunk, 0, n);
        }
        return writer.toArray();
    }

    /** Appends {@code values[from, from + count)}; count is at most one chunk. */
    void put(double[] values, int from, int count) {
        if (floats != null) {
            for (int i = 0; i < count; i++) {
                floatChunk[i] = (float) values[from + i];
            }
            floats.put(floatChunk, 0, count);
        } else {
            doubles.put(values, from, count);
        }
    }

    NpyArray toArray() {
        int written = floats != null ? floats.position() : doubles.position();
        if (written != shape.elementCount()) {
            throw new IllegalStateException("wrote " + written + " of " + shape.elementCount() + " elements");
        }
        return NpyArray.view(dtype, shape, bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN));
    }
}
