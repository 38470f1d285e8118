package io.callosum.benchmarks.inference;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Closed-loop load: 1, 4 and 16 clients each send requests back to back, the same number in all per level, and the
 * table gives latency p50/p99 and throughput against one client as the baseline measured in the same run.
 */
final class ConcurrentLoad {
    static final int[] CLIENTS = {1, 4, 16};

    /** One level's per-request latencies (seconds) and wall time. */
    record Level(int clients, double[] latencies, double seconds) {
        double percentile(double p) {
            double[] sorted = latencies.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }

        double throughput() {
            return latencies.length / seconds;
        }
    }

    private ConcurrentLoad() {
    }

    /** Warms up, then measures every level and prints the table; a request that fails stops the benchmark. */
    static void run(Callable<?> request, int warmUp, int requests, PrintStream out) {
        try {
            for (int i = 0; i < warmUp; i++) {
                request.call();
            }
        } catch (Exception e) {
            throw new IllegalStateException("a warm-up request failed: " + e.getMessage(), e);
        }
        out.printf(Locale.ROOT, "%8s %10s %10s %12s %14s %14s%n", "clients", "p50", "p99", "throughput",
                "p50/1-client", "thru/1-client");
        Level baseline = null;
        for (int clients : CLIENTS) {
            Level level = measure(request, clients, requests);
            baseline = baseline == null ? level : baseline;
            out.printf(Locale.ROOT, "%8d %8.1fms %8.1fms %10.1f/s %13.2fx %13.2fx%n", clients,
                    level.percentile(0.5) * 1e3, level.percentile(0.99) * 1e3, level.throughput(),
                    level.percentile(0.5) / baseline.percentile(0.5), level.throughput() / baseline.throughput());
        }
    }

    private static Level measure(Callable<?> request, int clients, int requests) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            int each = requests / clients;
            long start = System.nanoTime();
            List<Future<double[]>> runs = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                runs.add(pool.submit(() -> {
                    double[] latencies = new double[each];
                    for (int i = 0; i < each; i++) {
                        long begin = System.nanoTime();
                        request.call();
                        latencies[i] = (System.nanoTime() - begin) / 1e9;
                    }
                    return latencies;
                }));
            }
            double[] all = new double[0];
            for (Future<double[]> run : runs) {
                double[] latencies = run.get();
                int at = all.length;
                all = Arrays.copyOf(all, at + latencies.length);
                System.arraycopy(latencies, 0, all, at, latencies.length);
            }
            return new Level(clients, all, (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a client failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
