package io.callosum.protocol.transfer;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyHeader;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Tensor sets with random values for transfer tests, and a value-by-value comparison of two sets. */
final class TestTensors {
    private TestTensors() {
    }

    static NpyArray randomFloats(long seed, long... dims) {
        Shape shape = Shape.of(dims);
        return randomArray(seed, new NpyHeader(DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, false, shape));
    }

    /** Random bytes under {@code header}: any byte pattern is a valid element of these dtypes except bool. */
    static NpyArray randomArray(long seed, NpyHeader header) {
        int bytes = Math.toIntExact(header.shape().elementCount() * header.dtype().itemSize());
        byte[] data = new byte[bytes];
        new SplittableRandom(seed).nextBytes(data);
        return NpyArray.view(header, ByteBuffer.wrap(data));
    }

    static TensorSet of(NamedTensor... tensors) {
        return TensorSet.of(java.util.List.of(tensors));
    }

    /** Same names, modalities, dtypes, shapes, layouts and element bytes, in the same order. */
    static void assertSameTensors(TensorSet expected, TensorSet actual) {
        assertEquals(expected.manifest(), actual.manifest());
        for (NamedTensor want : expected) {
            NpyArray got = actual.get(want.name()).orElseThrow().array();
            assertEquals(want.array().header(), got.header(), want.name());
            assertEquals(want.array().data(), got.data(), want.name() + " element bytes");
        }
    }
}
