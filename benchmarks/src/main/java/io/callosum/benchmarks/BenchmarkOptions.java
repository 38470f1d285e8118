package io.callosum.benchmarks;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which benchmarks to run, on how large a tensor, how large each site's update in the aggregation benchmark (its
 * hold-all baseline keeps 50 of them), how many measured runs after two warm-ups, and whether the secure-aggregation
 * benchmark runs its whole grid (10M parameters too) rather than its short default; and which running coordinator
 * (with a file holding a bearer token) the HTTP benchmark calls.
 */
public record BenchmarkOptions(List<String> names, long elements, long updateElements, int warmups, int runs,
                               boolean full, Optional<URI> coordinator, Optional<Path> tokenFile) {
    static final String USAGE = "usage: ./callosum bench [npy] [jepa] [transfer] [aggregation] [round] [secagg] [embeddings] [embeddings-http] [--elements N (default 100000000)]"
            + " [--update-elements N (default 25000000)] [--runs N (default 5)] [--full (secagg: 1M and 10M parameters;"
            + " default 1M)] [--url URL --token-file FILE (embeddings-http: a running coordinator and an embed token)]";

    static BenchmarkOptions parse(String[] args) {
        long elements = 100_000_000L;
        long updateElements = 25_000_000L;
        int runs = 5;
        boolean full = false;
        Optional<URI> coordinator = Optional.empty();
        Optional<Path> tokenFile = Optional.empty();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--elements" -> elements = Long.parseLong(value(args, ++i));
                case "--update-elements" -> updateElements = Long.parseLong(value(args, ++i));
                case "--runs" -> runs = Integer.parseInt(value(args, ++i));
                case "--full" -> full = true;
                case "--url" -> coordinator = Optional.of(URI.create(value(args, ++i)));
                case "--token-file" -> tokenFile = Optional.of(Path.of(value(args, ++i)));
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    System.exit(0);
                }
                default -> names.add(args[i]);
            }
        }
        return new BenchmarkOptions(List.copyOf(names), elements, updateElements, 2, runs, full, coordinator,
                tokenFile);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value; " + USAGE);
        }
        return args[i];
    }
}
