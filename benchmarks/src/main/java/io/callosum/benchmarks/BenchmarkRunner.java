package io.callosum.benchmarks;

import io.callosum.benchmarks.aggregation.StreamingAggregationBenchmark;
import io.callosum.benchmarks.inference.EmbeddingsLoadBenchmark;
import io.callosum.benchmarks.inference.HttpEmbeddingsLoadBenchmark;
import io.callosum.benchmarks.jepa.TrainingStepBenchmark;
import io.callosum.benchmarks.npy.NpyCodecBenchmark;
import io.callosum.benchmarks.round.RoundTimeBenchmark;
import io.callosum.benchmarks.secagg.SecAggBenchmark;
import io.callosum.benchmarks.transfer.ChunkedTransferBenchmark;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code ./callosum bench [NAME ...] [--elements N] [--update-elements N] [--runs N] [--full] [--url URL --token-file FILE]}: runs benchmarks, each printing its results as
 * ratios against a baseline measured in the same run. Never part of the test run's pass/fail.
 */
public final class BenchmarkRunner {
    private static final Map<String, Function<BenchmarkOptions, Benchmark>> BENCHMARKS = new TreeMap<>(Map.of(
            "npy", NpyCodecBenchmark::new,
            "jepa", TrainingStepBenchmark::new,
            "transfer", ChunkedTransferBenchmark::new,
            "aggregation", StreamingAggregationBenchmark::new,
            "secagg", SecAggBenchmark::new,
            "round", options -> new RoundTimeBenchmark(),
            "embeddings", options -> new EmbeddingsLoadBenchmark(),
            "embeddings-http", options -> new HttpEmbeddingsLoadBenchmark(options.coordinator(), options.tokenFile())));

    private BenchmarkRunner() {
    }

    public static void main(String[] args) {
        BenchmarkOptions options = BenchmarkOptions.parse(args);
        List<String> names = options.names().isEmpty() ? List.copyOf(BENCHMARKS.keySet()) : options.names();
        for (String name : names) {
            if (!BENCHMARKS.containsKey(name)) {
                System.err.println("unknown benchmark '" + name + "'; known: " + BENCHMARKS.keySet());
                System.exit(2);
            }
        }
        names.forEach(name -> BENCHMARKS.get(name).apply(options).run(System.out));
    }
}
