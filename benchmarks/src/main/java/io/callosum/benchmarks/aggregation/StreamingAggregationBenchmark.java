package io.callosum.benchmarks.aggregation;

import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.Strategies;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.TensorSet;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * FedAvg over 10 and 50 site updates of one float32 tensor: the coordinator's streaming round (each update folded
 * as it arrives, then released) against holding every update and averaging at the end, in the same run.
 *
 * <p>Heap is the live set: used heap right after {@code System.gc()} (a full collection here), sampled where each
 * path's live set is largest. Pool peak usage would count updates already released but not yet collected, which
 * measures how lazily the collector runs, not what the aggregation keeps. Streaming is sampled with each update in
 * hand before it is folded (sums plus one update) and after finishing; the mean is computed in place and written to
 * one update-sized array, so finishing never holds more than that either. Hold-all is sampled with all updates and
 * the mean held; its double sums, alive only during averaging, are left out, so its figure and the ratio are
 * understated, never flattered.
 */
public final class StreamingAggregationBenchmark implements Benchmark {
    private static final int[] SITE_COUNTS = {10, 50};
    private static final int FINGERPRINT_STRIDE = 1009;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final BenchmarkOptions options;

    public StreamingAggregationBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    /** Fold times in wall-clock and in this thread's CPU time, which other processes on a shared machine don't inflate. */
    private record Run(String path, long liveAtStart, long peakLive, double foldSeconds, double foldCpuSeconds,
                       long foldedBytes, double[] fingerprint) {

        long peakAboveStart() {
            return peakLive - liveAtStart;
        }

        double gigabytesPerCpuSecond() {
            return foldedBytes / foldCpuSeconds / 1e9;
        }
    }

    @Override
    public void run(PrintStream out) {
        SyntheticUpdates updates = new SyntheticUpdates(options.updateElements());
        TensorSet global = updates.global();
        Strategy fedAvg = Strategies.create(StrategySettings.defaults("fedavg"));
        streaming(fedAvg, global, updates, options.warmups());

        out.printf(Locale.ROOT, "%nStreaming aggregation (FedAvg): site updates of %,d float32 (%.1f MB) each,"
                        + " global model %.1f MB; after a warm-up round of %d updates%n",
                options.updateElements(), updates.updateBytes() / 1e6, global.byteSize() / 1e6, options.warmups());
        out.printf(Locale.ROOT, "%5s  %-10s %15s %13s %10s %10s %10s%n",
                "sites", "path", "peak live heap", "above start", "fold wall", "fold CPU", "GB/s/core");
        for (int sites : SITE_COUNTS) {
            Run streaming = streaming(fedAvg, global, updates, sites);
            Run holdAll = holdAll(updates, sites);
            for (Run run : List.of(streaming, holdAll)) {
                out.printf(Locale.ROOT, "%5d  %-10s %13.0fMB %11.0fMB %9.2fs %9.2fs %10.2f%n", sites, run.path(),
                        run.peakLive() / 1e6, run.peakAboveStart() / 1e6, run.foldSeconds(), run.foldCpuSeconds(),
                        run.gigabytesPerCpuSecond());
            }
            out.printf(Locale.ROOT, "%5d  hold-all/streaming: %.1fx the heap above start, %.1fx the peak live heap;"
                            + " largest difference between the two means %.3g%n", sites,
                    (double) holdAll.peakAboveStart() / streaming.peakAboveStart(),
                    (double) holdAll.peakLive() / streaming.peakLive(),
                    largestDifference(streaming.fingerprint(), holdAll.fingerprint()));
        }
        out.println("fold: streaming = all add() calls (validation and fold), hold-all = its averaging pass; both run"
                + " on one thread, so GB/s per CPU second of that thread is GB/s per core.");
    }

    private static Run streaming(Strategy strategy, TensorSet global, SyntheticUpdates updates, int sites) {
        long liveAtStart = liveHeap();
        long peak = liveAtStart;
        long foldNanos = 0;
        long foldCpuNanos = 0;
        RoundAggregation round = strategy.begin(global, ServerOptimizerState.none());
        for (int site = 0; site < sites; site++) {
            TensorSet update = updates.update(site);
            peak = Math.max(peak, liveHeap());
            long start = System.nanoTime();
            long cpuStart = THREADS.getCurrentThreadCpuTime();
            round.add("site-" + site, update, SyntheticUpdates.examples(site));
            foldCpuNanos += THREADS.getCurrentThreadCpuTime() - cpuStart;
            foldNanos += System.nanoTime() - start;
        }
        NpyArray mean = round.finish().model().get(SyntheticUpdates.TENSOR).orElseThrow().array();
        peak = Math.max(peak, liveHeap());
        return new Run("streaming", liveAtStart, peak, foldNanos / 1e9, foldCpuNanos / 1e9,
                sites * updates.updateBytes(), fingerprint(mean));
    }

    private static Run holdAll(SyntheticUpdates updates, int sites) {
        long liveAtStart = liveHeap();
        List<TensorSet> held = new ArrayList<>(sites);
        for (int site = 0; site < sites; site++) {
            held.add(updates.update(site));
        }
        long start = System.nanoTime();
        long cpuStart = THREADS.getCurrentThreadCpuTime();
        float[] mean = HoldAllAverage.average(held, SyntheticUpdates.TENSOR);
        long foldCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStart;
        long foldNanos = System.nanoTime() - start;
        long peak = liveHeap();
        double[] fingerprint = new double[(mean.length + FINGERPRINT_STRIDE - 1) / FINGERPRINT_STRIDE];
        for (int i = 0; i < fingerprint.length; i++) {
            fingerprint[i] = mean[i * FINGERPRINT_STRIDE];
        }
        return new Run("hold-all", liveAtStart, peak, foldNanos / 1e9, foldCpuNanos / 1e9,
                sites * updates.updateBytes(), fingerprint);
    }

    /** Every FINGERPRINT_STRIDE-th element: enough to compare the two paths' means without keeping a third copy. */
    private static double[] fingerprint(NpyArray mean) {
        double[] fingerprint = new double[Math.toIntExact((mean.elementCount() + FINGERPRINT_STRIDE - 1)
                / FINGERPRINT_STRIDE)];
        for (int i = 0; i < fingerprint.length; i++) {
            fingerprint[i] = mean.getDouble((long) i * FINGERPRINT_STRIDE);
        }
        return fingerprint;
    }

    private static double largestDifference(double[] a, double[] b) {
        double largest = 0;
        for (int i = 0; i < a.length; i++) {
            largest = Math.max(largest, Math.abs(a[i] - b[i]));
        }
        return largest;
    }

    private static long liveHeap() {
        System.gc();
        return MEMORY.getHeapMemoryUsage().getUsed();
    }
}
