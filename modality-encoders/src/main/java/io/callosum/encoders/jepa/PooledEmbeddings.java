package io.callosum.encoders.jepa;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.callosum.encoders.model.ModalityEncoder;

import java.util.Arrays;

/** An encoder's pooled embeddings of many inputs, in inference mode, batch by batch: one loop for every user. */
final class PooledEmbeddings {
    private static final int BATCH = 64;

    private PooledEmbeddings() {
    }

    static float[][] of(ModalityEncoder encoder, ParameterStore store, NDManager parent, Device device,
                        float[][] inputs) {
        float[][] out = new float[inputs.length][];
        for (int start = 0; start < inputs.length; start += BATCH) {
            int end = Math.min(inputs.length, start + BATCH);
            try (NDManager batchManager = parent.newSubManager()) {
                float[][] rows = Arrays.copyOfRange(inputs, start, end);
                NDArray x = batchManager.create(rows).toDevice(device, false);
                NDArray embedding = encoder.forward(store, new NDList(x), false).singletonOrThrow();
                float[] flat = embedding.toFloatArray();
                int dim = (int) embedding.getShape().get(1);
                for (int i = 0; i < end - start; i++) {
                    out[start + i] = Arrays.copyOfRange(flat, i * dim, (i + 1) * dim);
                }
            }
        }
        return out;
    }
}
