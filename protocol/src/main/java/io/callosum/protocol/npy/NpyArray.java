package io.callosum.protocol.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An n-dimensional array as a {@code .npy} file holds it: raw element bytes in the file's byte order and layout.
 * Decoding only views the bytes it was given; {@link #toCanonical()} and the {@code to…Array} methods copy.
 */
public final class NpyArray {
    private final NpyHeader header;
    private final ByteBuffer data;

    private NpyArray(NpyHeader header, ByteBuffer data) {
        long expected = Math.multiplyExact(header.shape().elementCount(), header.dtype().itemSize());
        if (data.remaining() != expected) {
            throw new NpyFormatException("data holds " + data.remaining() + " bytes but shape " + header.shape()
                    + " of " + header.descr() + " needs " + expected);
        }
        this.header = header;
        this.data = data.slice().asReadOnlyBuffer().order(header.byteOrder());
    }

    /** Views {@code data} (from its position to its limit) as an array with the given header. */
    public static NpyArray view(NpyHeader header, ByteBuffer data) {
        return new NpyArray(header, data);
    }

    /** Views {@code data} as a C-order array in the buffer's byte order. */
    public static NpyArray view(DType dtype, Shape shape, ByteBuffer data) {
        return new NpyArray(new NpyHeader(dtype, data.order(), false, shape), data);
    }

    /** Copies {@code values} (C order) into a new little-endian float32 array. */
    public static NpyArray ofFloats(Shape shape, float... values) {
        ByteBuffer data = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        return view(DType.FLOAT32, shape, data);
    }

    public NpyHeader header() {
        return header;
    }

    public DType dtype() {
        return header.dtype();
    }

    public Shape shape() {
        return header.shape();
    }

    public ByteOrder byteOrder() {
        return header.byteOrder();
    }

    public boolean fortranOrder() {
        return header.fortranOrder();
    }

    public long elementCount() {
        return header.shape().elementCount();
    }

    public int byteSize() {
        return data.capacity();
    }

    /** The raw element bytes, read-only, in the array's own byte order and layout. */
    public ByteBuffer data() {
        return data.duplicate().order(data.order());
    }

    /** True when the bytes are little-endian (or single-byte) and in C order: the form Callosum computes on. */
    public boolean isCanonical() {
        return !header.fortranOrder()
                && (header.dtype().itemSize() == 1 || header.byteOrder() == ByteOrder.LITTLE_ENDIAN);
    }

    /** This array in little-endian C order: itself when already so, otherwise a reordered copy. */
    public NpyArray toCanonical() {
        if (isCanonical()) {
            return this;
        }
        int itemSize = dtype().itemSize();
        boolean swap = itemSize > 1 && byteOrder() != ByteOrder.LITTLE_ENDIAN;
        byte[] out = new byte[byteSize()];
        long count = elementCount();
        for (long c = 0; c < count; c++) {
            int src = Math.toIntExact(storageIndex(c) * itemSize);
            int dst = Math.toIntExact(c * itemSize);
            for (int b = 0; b < itemSize; b++) {
                out[dst + b] = data.get(src + (swap ? itemSize - 1 - b : b));
            }
        }
        return view(dtype(), shape(), ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN));
    }

    /** The element at {@code cIndex} (row-major position) as a double; integers beyond 2^53 lose precision. */
    public double getDouble(long cIndex) {
        int at = offsetOf(cIndex);
        return switch (dtype()) {
            case FLOAT16 -> halfToFloat(data.getShort(at));
            case FLOAT32 -> data.getFloat(at);
            case FLOAT64 -> data.getDouble(at);
            case UINT64 -> unsignedToDouble(data.getLong(at));
            default -> getLong(cIndex);
        };
    }

    /** The element at {@code cIndex} of an integer or bool array; uint64 values are returned as their bit pattern. */
    public long getLong(long cIndex) {
        int at = offsetOf(cIndex);
        return switch (dtype()) {
            case BOOL -> data.get(at) != 0 ? 1 : 0;
            case INT8 -> data.get(at);
            case UINT8 -> Byte.toUnsignedLong(data.get(at));
            case INT16 -> data.getShort(at);
            case UINT16 -> Short.toUnsignedLong(data.getShort(at));
            case INT32 -> data.getInt(at);
            case UINT32 -> Integer.toUnsignedLong(data.getInt(at));
            case INT64, UINT64 -> data.getLong(at);
            case FLOAT16, FLOAT32, FLOAT64 -> throw new IllegalStateException(
                    "getLong on a floating-point array (" + header.descr() + ")");
        };
    }

    /** All elements in C order as float32, converting from the stored type. */
    public float[] toFloatArray() {
        float[] out = new float[Math.toIntExact(elementCount())];
        if (dtype() == DType.FLOAT32 && !fortranOrder()) {
            data.duplicate().order(data.order()).asFloatBuffer().get(out);
            return out;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    private int offsetOf(long cIndex) {
        if (cIndex < 0 || cIndex >= elementCount()) {
            throw new IndexOutOfBoundsException("index " + cIndex + " outside an array of " + elementCount());
        }
        return Math.toIntExact(storageIndex(cIndex) * dtype().itemSize());
    }

    /** Where the element at row-major position {@code cIndex} is stored. */
    private long storageIndex(long cIndex) {
        if (!fortranOrder()) {
            return cIndex;
        }
        Shape shape = shape();
        long remaining = cIndex;
        long offset = 0;
        long[] strides = new long[shape.rank()];
        long stride = 1;
        for (int axis = 0; axis < shape.rank(); axis++) {
            strides[axis] = stride;
            stride *= shape.dim(axis);
        }
        for (int axis = shape.rank() - 1; axis >= 0; axis--) {
            offset += (remaining % shape.dim(axis)) * strides[axis];
            remaining /= shape.dim(axis);
        }
        return offset;
    }

    private static double unsignedToDouble(long bits) {
        double value = (double) (bits >>> 1) * 2.0;
        return value + (bits & 1);
    }

    /** IEEE 754 binary16 to binary32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1F;
        int mantissa = bits & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    @Override
    public String toString() {
        return "NpyArray" + shape() + " " + header.descr() + (fortranOrder() ? " fortran" : "");
    }
}
