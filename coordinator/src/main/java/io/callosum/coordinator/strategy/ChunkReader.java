package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Reads a float32 or float64 array of any byte order in C order, one chunk of doubles at a time. Each chunk is one
 * bulk buffer read (a plain memory copy when the byte order is the machine's), so callers' per-element loops run over
 * small L1-resident arrays the JIT can unroll and vectorize.
 */
final class ChunkReader {
    static final int CHUNK = 8192;

    private final long count;
    private final FloatBuffer floats;
    private final DoubleBuffer doubles;
    private final float[] floatChunk;
    private long position;

    private ChunkReader(long count, FloatBuffer floats, DoubleBuffer doubles) {
        this.count = count;
        this.floats = floats;
        this.doubles = doubles;
        this.floatChunk = floats == null ? null : new float[CHUNK];
    }

    static ChunkReader of(NpyArray array) {
        ByteBuffer data = inCOrder(array).data();
        return switch (array.dtype()) {
            case FLOAT32 -> new ChunkReader(array.elementCount(), data.asFloatBuffer(), null);
            case FLOAT64 -> new ChunkReader(array.elementCount(), null, data.asDoubleBuffer());
            default -> throw new IllegalArgumentException("only float32 and float64 arrays are aggregated, got "
                    + array.header().descr());
        };
    }

    /** A reader of {@code count} zeros: the moments of a tensor the optimizer has not stepped yet. */
    static ChunkReader zeros(long count) {
        return new ChunkReader(count, null, null);
    }

    static boolean isAggregated(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64;
    }

    /** {@code array} itself when in C order; a Fortran-order array is copied once so that chunks are rows. */
    static NpyArray inCOrder(NpyArray array) {
        return array.fortranOrder() ? array.toCanonical() : array;
    }

    /** Fills the start of {@code into} with the next elements; returns how many (0 once all were read). */
    int next(double[] into) {
        int n = nextCount(into.length);
        if (floats != null) {
            floats.get(floatChunk, 0, n);
            for (int i = 0; i < n; i++) {
                into[i] = floatChunk[i];
            }
        } else if (doubles != null) {
            doubles.get(into, 0, n);
        } else {
            Arrays.fill(into, 0, n, 0.0);
        }
        return n;
    }

    /**
     * Adds {@code weight ×} every remaining element to {@code sums}, element for element. The hot path of
     * aggregation: float32 is folded straight from its chunk, skipping the copy to doubles that {@link #next} makes.
     */
    void addScaledTo(double[] sums, double weight) {
        int base = 0;
        if (floats != null) {
            for (int n = nextCount(CHUNK); n > 0; n = nextCount(CHUNK)) {
                floats.get(floatChunk, 0, n);
                for (int i = 0; i < n; i++) {
                    sums[base + i] += weight * floatChunk[i];
                }
                base += n;
            }
            return;
        }
        double[] scratch = new double[CHUNK];
        for (int n = next(scratch); n > 0; n = next(scratch)) {
            for (int i = 0; i < n; i++) {
                sums[base + i] += weight * scratch[i];
            }
            base += n;
        }
    }

    /** The flat index of the first NaN or infinite element from here on, or -1 when all are finite. */
    long firstNonFinite() {
        long base = position;
        if (floats != null) {
            for (int n = nextCount(CHUNK); n > 0; n = nextCount(CHUNK)) {
                floats.get(floatChunk, 0, n);
                for (int i = 0; i < n; i++) {
                    if (!Float.isFinite(floatChunk[i])) {
                        return base + i;
                    }
                }
                base += n;
            }
            return -1;
        }
        double[] scratch = new double[CHUNK];
        for (int n = next(scratch); n > 0; n = next(scratch)) {
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(scratch[i])) {
                    return base + i;
                }
            }
            base += n;
        }
        return -1;
    }

    private int nextCount(int wanted) {
        int n = (int) Math.min(Math.min(wanted, CHUNK), count - position);
        position += n;
        return n;
    }
}
