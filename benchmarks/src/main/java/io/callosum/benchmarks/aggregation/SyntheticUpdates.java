package io.callosum.benchmarks.aggregation;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One float32 encoder tensor and site updates to it, each made only when asked for, as gRPC hands one over: a
 * tensor set viewing a little-endian byte buffer.
 */
final class SyntheticUpdates {
    static final String TENSOR = "imaging/encoder";
    /** Each site repeats its own random pattern: real-looking bytes without a random draw per element. */
    private static final int PATTERN = 1 << 16;

    private final int elements;

    SyntheticUpdates(long elements) {
        this.elements = Math.toIntExact(elements);
    }

    long updateBytes() {
        return (long) elements * Float.BYTES;
    }

    TensorSet global() {
        return of(-1);
    }

    TensorSet update(int site) {
        return of(site);
    }

    /** Sites hold different numbers of examples, so the mean is weighted for real. */
    static long examples(int site) {
        return 100 + 37L * site;
    }

    private TensorSet of(int seed) {
        float[] pattern = new float[PATTERN];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < PATTERN; i++) {
            pattern[i] = (float) random.nextDouble(-1, 1);
        }
        ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(updateBytes())).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer floats = bytes.asFloatBuffer();
        while (floats.hasRemaining()) {
            floats.put(pattern, 0, Math.min(PATTERN, floats.remaining()));
        }
        NpyArray array = NpyArray.view(DType.FLOAT32, Shape.of(elements), bytes);
        return TensorSet.of(List.of(new NamedTensor(TENSOR, Modality.IMAGING, array)));
    }
}
