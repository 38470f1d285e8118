package io.callosum.benchmarks;

import java.util.ArrayList;
import java.util.List;

/**
 * Which benchmarks to run, on how large a tensor, how large each site's update in the aggregation benchmark (its
 * hold-all baseline keeps 50 of them), how many measured runs after two warm-ups, and whether the secure-aggregation
 * benchmark runs its whole grid (10M parameters too) rather than its short default.
 */
public record BenchmarkOptions(List<String> names, long elements, long updateElements, int warmups, int runs,
                               boolean full) {
    static final String USAGE = "usage: ./callosum bench [npy] [jepa] [transfer] [aggregation] [round] [secagg] [embeddings] [--elements N (default 100000000)]"
            + " [--update-elements N (default 25000000)] [--runs N (default 5)] [--full (secagg: 1M and 10M parameters;"
            + " default 1M)]";

    static BenchmarkOptions parse(String[] args) {
        long elements = 100_000_000L;
        long updateElements = 25_000_000L;
        int runs = 5;
        boolean full = false;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--elements" -> elements = Long.parseLong(value(args, ++i));
                case "--update-elements" -> updateElements = Long.parseLong(value(args, ++i));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i));
                case "--full" -> full = true;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> names.add(args[i]);
            }
        }
        return new BenchmarkOptions(List.copyOf(names), elements, updateElements, 2, runs, full);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        }
        return args[i];
    }
}
