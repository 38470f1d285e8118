package io.callosum.encoders.jepa;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.callosum.encoders.model.ModalityEncoder;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/** An encoder's pooled embeddings of many inputs, in inference mode, batch by batch: one loop for every user. */
final class PooledEmbeddings {
    private static final int BATCH = 64;

    private PooledEmbeddings() {
    }

    static float[][] of(ModalityEncoder encoder, ParameterStore store, NDManager parent, Device device,
                        float[][] inputs) {
        return rows(parent, device, inputs, x -> encoder.forward(store, new NDList(x), false).singletonOrThrow());
    }

    /**
     * Per input, the mean and then the standard deviation over tokens of the tokenizer's output (patch embeddings
     * plus positions, before any attention): how the raw acquisition looks to the model, which the pooled
     * embedding is trained to see past.
     */
    static float[][] tokenStatistics(ModalityEncoder encoder, ParameterStore store, NDManager parent, Device device,
                                     float[][] inputs) {
        return rows(parent, device, inputs, x -> {
            NDArray tokens = encoder.tokens(store, x, false);
            NDArray mean = tokens.mean(new int[] {1});
            NDArray std = tokens.sub(mean.expandDims(1)).square().mean(new int[] {1}).sqrt();
            return mean.concat(std, 1);
        });
    }

    private static float[][] rows(NDManager parent, Device device, float[][] inputs, UnaryOperator<NDArray> perBatch) {
        float[][] out = new float[inputs.length][];
        for (int start = 0; start < inputs.length; start += BATCH) {
            int end = Math.min(inputs.length, start + BATCH);
            try (NDManager batchManager = parent.newSubManager()) {
                float[][] rows = Arrays.copyOfRange(inputs, start, end);
                NDArray x = batchManager.create(rows).toDevice(device, false);
                NDArray embedding = perBatch.apply(x);
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
