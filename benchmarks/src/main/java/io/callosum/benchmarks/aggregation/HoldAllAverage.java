package io.callosum.benchmarks.aggregation;

import io.callosum.protocol.tensor.TensorSet;

import java.nio.FloatBuffer;
import java.util.List;

/** The baseline: keep every site's update until all have arrived, then compute the examples-weighted mean. */
final class HoldAllAverage {
    private static final int CHUNK = 8192;

    private HoldAllAverage() {
    }

    /** The weighted mean of {@code tensor} over {@code updates}, where update {@code s} holds examples(s). */
    static float[] average(List<TensorSet> updates, String tensor) {
        int elements = Math.toIntExact(updates.get(0).get(tensor).orElseThrow().array().elementCount());
        double[] sums = new double[elements];
        float[] chunk = new float[CHUNK];
        double totalExamples = 0;
        for (int site = 0; site < updates.size(); site++) {
            double examples = SyntheticUpdates.examples(site);
            FloatBuffer values = updates.get(site).get(tensor).orElseThrow().array().data().asFloatBuffer();
            for (int base = 0; base < elements; base += CHUNK) {
                int n = Math.min(CHUNK, elements - base);
                values.get(chunk, 0, n);
                for (int i = 0; i < n; i++) {
                    sums[base + i] += examples * chunk[i];
                }
            }
            totalExamples += examples;
        }
        float[] mean = new float[elements];
        for (int i = 0; i < elements; i++) {
            mean[i] = (float) (sums[i] / totalExamples);
        }
        return mean;
    }
}
