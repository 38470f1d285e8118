package io.callosum.protocol.npy;

import java.util.Arrays;
import java.util.Optional;

/** The element types a {@code .npy} array may hold here; {@code kind} and {@code itemSize} as in numpy's descr. */
public enum DType {
    BOOL('b', 1),
    INT8('i', 1),
    UINT8('u', 1),
    INT16('i', 2),
    UINT16('u', 2),
    INT32('i', 4),
    UINT32('u', 4),
    INT64('i', 8),
    UINT64('u', 8),
    FLOAT16('f', 2),
    FLOAT32('f', 4),
    FLOAT64('f', 8);

    private final char kind;
    private final int itemSize;

    DType(char kind, int itemSize) {
        this.kind = kind;
        this.itemSize = itemSize;
    }

    public char kind() {
        return kind;
    }

    public int itemSize() {
        return itemSize;
    }

    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** numpy's type code without byte order, e.g. {@code f4}. */
    public String code() {
        return "" + kind + itemSize;
    }

    static Optional<DType> forCode(char kind, int itemSize) {
        return Arrays.stream(values()).filter(t -> t.kind == kind && t.itemSize == itemSize).findFirst();
    }
}
