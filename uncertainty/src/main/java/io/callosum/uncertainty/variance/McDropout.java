package io.callosum.uncertainty.variance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Monte Carlo dropout: call a stochastic forward pass K times and summarize the spread of its embeddings. The pass
 * is any supplier whose result varies from call to call (dropout active, see the package documentation).
 */
public final class McDropout {
    private McDropout() {
    }

    /** The spread of {@code passes} ≥ 2 embeddings of one input. */
    public static EmbeddingSpread sample(Supplier<float[]> stochasticPass, int passes) {
        requirePasses(passes);
        float[][] draws = new float[passes][];
        for (int m = 0; m < passes; m++) {
            draws[m] = stochasticPass.get();
        }
        return EmbeddingSpread.of(draws);
    }

    /** The spread of every input of a batch; each pass returns the whole batch, one embedding per row. */
    public static List<EmbeddingSpread> sampleBatch(Supplier<float[][]> stochasticPass, int passes) {
        requirePasses(passes);
        List<float[][]> draws = new ArrayList<>(passes);
        for (int m = 0; m < passes; m++) {
            draws.add(stochasticPass.get());
        }
        return EmbeddingSpread.perInput(draws);
    }

    private static void requirePasses(int passes) {
        if (passes < 2) {
            throw new IllegalArgumentException("MC dropout needs at least 2 passes, got " + passes);
        }
    }
}
