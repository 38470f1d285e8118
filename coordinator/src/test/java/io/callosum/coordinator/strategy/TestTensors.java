package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/** Builds tensors element by element (any dtype and byte order) and reads them back, independently of the code under test. */
final class TestTensors {
    private TestTensors() {
    }

    static NamedTensor tensor(String name, Modality modality, DType dtype, ByteOrder order, Shape shape,
                              double... values) {
        ByteBuffer data = ByteBuffer.allocate(values.length * dtype.itemSize()).order(order);
        for (double value : values) {
            switch (dtype) {
                case FLOAT32 -> data.putFloat((float) value);
                case FLOAT64 -> data.putDouble(value);
                case INT32 -> data.putInt((int) value);
                default -> throw new IllegalArgumentException("test helper cannot write " + dtype);
            }
        }
        return new NamedTensor(name, modality, NpyArray.view(dtype, shape, data.flip()));
    }

    static NamedTensor f4(String name, Modality modality, double... values) {
        return tensor(name, modality, DType.FLOAT32, ByteOrder.LITTLE_ENDIAN, Shape.of(values.length), values);
    }

    static NamedTensor f8(String name, Modality modality, double... values) {
        return tensor(name, modality, DType.FLOAT64, ByteOrder.LITTLE_ENDIAN, Shape.of(values.length), values);
    }

    static TensorSet set(NamedTensor... tensors) {
        return TensorSet.of(List.of(tensors));
    }

    static double[] values(TensorSet set, String name) {
        NpyArray array = set.get(name).orElseThrow(() -> new AssertionError("no tensor " + name)).array();
        double[] out = new double[Math.toIntExact(array.elementCount())];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.getDouble(i);
        }
        return out;
    }

    static double[] constant(int count, double value) {
        double[] out = new double[count];
        Arrays.fill(out, value);
        return out;
    }
}
