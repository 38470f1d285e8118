package io.callosum.benchmarks;

import java.io.PrintStream;

/** One benchmark: it measures its own baseline and prints every result as a ratio against it. */
public interface Benchmark {
    void run(PrintStream out);
}
