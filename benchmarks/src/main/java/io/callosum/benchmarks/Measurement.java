package io.callosum.benchmarks;

import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Median wall time and heap allocated per call of one operation. Every operation measured here keeps what
 * it allocates until it returns, so the bytes allocated bound its peak extra heap from above.
 */
public record Measurement(String name, double medianSeconds, long allocatedBytes) {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Runs {@code operation} {@code warmups + runs} times; results are kept alive until measured, then dropped. */
    public static Measurement of(String name, int warmups, int runs, Supplier<Object> operation) {
        long thread = Thread.currentThread().getId();
        double[] seconds = new double[runs];
        long allocated = Long.MAX_VALUE;
        for (int i = 0; i < warmups + runs; i++) {
            System.gc();
            long allocatedBefore = THREADS.getThreadAllocatedBytes(thread);
            long start = System.nanoTime();
            Object result = operation.get();
            long elapsed = System.nanoTime() - start;
            long allocatedNow = THREADS.getThreadAllocatedBytes(thread) - allocatedBefore;
            if (result == null) {
                throw new IllegalStateException(name + " returned nothing");
            }
            if (i >= warmups) {
                seconds[i - warmups] = elapsed / 1e9;
                allocated = Math.min(allocated, allocatedNow);
            }
        }
        Arrays.sort(seconds);
        return new Measurement(name, seconds[runs / 2], allocated);
    }

    public double gigabytesPerSecond(long bytes) {
        return bytes / medianSeconds / 1e9;
    }
}
