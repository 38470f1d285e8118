package io.callosum.benchmarks.secagg;

import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.protocol.secagg.NeighbourGraph;
import io.callosum.protocol.secagg.RoundConfig;
import io.callosum.protocol.secagg.SecAggClient;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import io.callosum.protocol.secagg.SecureAggregator;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * SecAgg+ rounds in one process for N sites, P float32 parameters and a dropout rate: each site's masking time, and
 * the server's time to fold the masked inputs and unmask their sum, beside plain float summation of the same
 * survivors' vectors in the same run. Dropped sites leave after sharing keys, the costly case for the server (it
 * rebuilds their masking keys and removes the pairwise masks their neighbours added).
 *
 * <p>Times are CPU seconds of the one thread doing the work (a site, or the server), so they are per core and other
 * processes on a shared machine don't inflate them; only the server's unmasking on every processor is wall time.
 * {@code k} starts at the recommended {@code ~log2 N} and {@code t} at its minimum; where random dropouts at that rate would leave some neighbourhood below {@code t}, another draw is
 * tried and then a larger {@code k}, and the table says which {@code k} ran.
 */
public final class SecAggBenchmark implements Benchmark {
    private static final int[] SITE_COUNTS = {10, 50, 100};
    private static final double[] DROPOUTS = {0.0, 0.1, 0.3};
    private static final double CLIP = 0.05;
    private static final int DRAWS_PER_K = 200;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final BenchmarkOptions options;

    public SecAggBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    private record Plan(RoundConfig config, Set<Integer> dropped) {
    }

    /** Seconds: site masking, the server's fold on arrival, its unmasking on one thread and on all, plain summation. */
    private record Result(double maskMedian, double maskMax, double fold, double unmaskOneThread,
                          double unmaskAllThreads, double plain, double largestDifference) {
        double ratioOneThread() {
            return (fold + unmaskOneThread) / plain;
        }

        double ratioAllThreads() {
            return (fold + unmaskAllThreads) / plain;
        }
    }

    @Override
    public void run(PrintStream out) {
        int[] sizes = options.full() ? new int[]{1_000_000, 10_000_000} : new int[]{1_000_000};
        round(plan(10, 1_000_000, 0.1), base(1_000_000));

        out.printf(Locale.ROOT, "%nSecure aggregation (SecAgg+): float32 updates clipped at %.2f, dropped sites leave"
                + " after sharing keys; CPU seconds of one core%n", CLIP);
        int threads = Runtime.getRuntime().availableProcessors();
        out.printf(Locale.ROOT, "%10s %5s %7s %3s %3s  %11s %9s  %8s %10s %11s %9s  %8s %9s  %8s%n", "parameters",
                "sites", "dropout", "k", "t", "mask median", "mask max", "fold", "unmask 1t", "unmask " + threads + "t",
                "plain sum", "ratio 1t", "ratio " + threads + "t", "max diff");
        for (int size : sizes) {
            float[] base = base(size);
            for (int sites : SITE_COUNTS) {
                for (double dropout : DROPOUTS) {
                    Plan plan = plan(sites, size, dropout);
                    Result result = round(plan, base);
                    out.printf(Locale.ROOT, "%10d %5d %6.0f%% %3d %3d  %10.3fs %8.3fs  %7.3fs %9.3fs %10.3fs %8.3fs"
                                    + "  %7.2fx %8.2fx  %8.1g%n",
                            size, sites, 100 * dropout, plan.config().neighbours(), plan.config().threshold(),
                            result.maskMedian(), result.maskMax(), result.fold(), result.unmaskOneThread(),
                            result.unmaskAllThreads(), result.plain(), result.ratioOneThread(),
                            result.ratioAllThreads(), result.largestDifference());
                }
            }
        }
        out.println("mask: one site's quantize + self-mask + k pairwise masks (AES-CTR), CPU s; fold: the server adding"
                + " every masked input as it arrives, CPU s; unmask: rebuilding seeds and keys from shares and removing"
                + " the masks, CPU s on 1 thread, wall s on " + threads + "; plain sum: float adds of the same survivors'"
                + " updates, CPU s; ratio = (fold + unmask) / plain sum; max diff: largest |secure - plain| of the sums."
                + " Targets: mask of 10M parameters at k = 8 <= 1 s; ratio <= 3x at 100 sites and 10% dropout."
                + " --full adds 10M parameters.");
    }

    private static Result round(Plan plan, float[] base) {
        RoundConfig config = plan.config();
        SecureRandom random = new SecureRandom();
        // Two servers see the same messages: one removes masks on one thread, the other on every processor.
        SecureAggregator server = new SecureAggregator(config, 1);
        SecureAggregator parallel = new SecureAggregator(config);
        Map<Integer, SecAggClient> clients = new TreeMap<>();
        config.clients().forEach(id -> clients.put(id, new SecAggClient(config, id, random)));
        clients.values().forEach(client -> {
            var keys = client.advertiseKeys();
            server.acceptKeys(keys);
            parallel.acceptKeys(keys);
        });
        parallel.closeAdvertising();
        server.closeAdvertising().forEach((id, message) -> {
            var shares = clients.get(id).shareKeys(message);
            server.acceptShares(shares);
            parallel.acceptShares(shares);
        });
        parallel.closeSharing();
        Map<Integer, ForwardedShares> forwarded = server.closeSharing();

        float[] update = new float[base.length];
        List<Double> maskSeconds = new ArrayList<>();
        double foldSeconds = 0;
        for (Map.Entry<Integer, ForwardedShares> entry : forwarded.entrySet()) {
            int id = entry.getKey();
            if (plan.dropped().contains(id)) {
                continue;
            }
            siteUpdate(base, id, update);
            long start = THREADS.getCurrentThreadCpuTime();
            MaskedInput input = clients.get(id).maskInput(entry.getValue(), update);
            long masked = THREADS.getCurrentThreadCpuTime();
            server.acceptMaskedInput(input);
            foldSeconds += (THREADS.getCurrentThreadCpuTime() - masked) / 1e9;
            maskSeconds.add((masked - start) / 1e9);
            parallel.acceptMaskedInput(input);
        }
        long start = THREADS.getCurrentThreadCpuTime();
        Map<Integer, UnmaskingRequest> requests = server.closeMaskedInput();
        double unmaskSeconds = (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        parallel.closeMaskedInput();
        List<UnmaskingShares> revealed = new ArrayList<>();
        requests.forEach((id, request) -> revealed.add(clients.get(id).unmask(request)));
        start = THREADS.getCurrentThreadCpuTime();
        revealed.forEach(server::acceptUnmaskingShares);
        AggregateSum secure = server.unmaskSum();
        unmaskSeconds += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        long wallStart = System.nanoTime();
        revealed.forEach(parallel::acceptUnmaskingShares);
        AggregateSum secureInParallel = parallel.unmaskSum();
        double unmaskParallelSeconds = (System.nanoTime() - wallStart) / 1e9;
        if (!Arrays.equals(secure.sum(), secureInParallel.sum())) {
            throw new IllegalStateException("unmasking on one thread and on several gave different sums");
        }

        float[] plain = new float[base.length];
        double plainSeconds = 0;
        for (int id : secure.contributors()) {
            siteUpdate(base, id, update);
            start = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < plain.length; i++) {
                plain[i] += update[i];
            }
            plainSeconds += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        }
        float[] sum = secure.sum();
        double largestDifference = IntStream.range(0, sum.length).mapToDouble(i -> Math.abs(sum[i] - plain[i]))
                .max().orElseThrow();
        maskSeconds.sort(null);
        return new Result(maskSeconds.get(maskSeconds.size() / 2), maskSeconds.get(maskSeconds.size() - 1),
                foldSeconds, unmaskSeconds, unmaskParallelSeconds, plainSeconds, largestDifference);
    }

    /**
     * The recommended k and smallest t, and a random set of {@code rate * sites} dropouts that leaves every needed
     * secret at least t holders; a larger k when no draw does.
     */
    private static Plan plan(int sites, int size, double rate) {
        int dropCount = (int) Math.round(rate * sites);
        Random random = new Random(sites * 31L + dropCount);
        for (int k = RoundConfig.recommendedNeighbours(sites); k <= sites - 1; k = Math.min(k + 2, sites - 1)) {
            int t = RoundConfig.minimumThreshold(k);
            byte[] graphSeed = new byte[32];
            random.nextBytes(graphSeed);
            RoundConfig config = new RoundConfig(1, IntStream.range(0, sites).boxed().toList(), size, k, t, CLIP,
                    graphSeed);
            NeighbourGraph graph = NeighbourGraph.of(config);
            for (int draw = 0; draw < DRAWS_PER_K; draw++) {
                List<Integer> order = new ArrayList<>(config.clients());
                Collections.shuffle(order, random);
                Set<Integer> dropped = new TreeSet<>(order.subList(0, dropCount));
                if (recoverable(graph, config, dropped)) {
                    return new Plan(config, dropped);
                }
            }
            if (k == sites - 1) {
                break;
            }
        }
        throw new IllegalStateException(dropCount + " dropouts of " + sites + " sites leave some neighbourhood below"
                + " its threshold for every k");
    }

    /** The server's own condition: each survivor, and each dropped site with surviving neighbours, keeps t holders. */
    private static boolean recoverable(NeighbourGraph graph, RoundConfig config, Set<Integer> dropped) {
        for (int client : config.clients()) {
            long survivingNeighbours = graph.neighbours(client).stream().filter(id -> !dropped.contains(id)).count();
            boolean survivor = !dropped.contains(client);
            long holders = survivingNeighbours + (survivor ? 1 : 0);
            if ((survivor || survivingNeighbours > 0) && holders < config.threshold()) {
                return false;
            }
        }
        return true;
    }

    private static float[] base(int size) {
        Random random = new Random(size);
        float[] base = new float[size];
        for (int i = 0; i < size; i++) {
            base[i] = (float) Math.max(-CLIP, Math.min(CLIP, random.nextGaussian() * CLIP / 2));
        }
        return base;
    }

    /**
     * Site {@code id}'s update: the base vector (already within the clipping bound, so the plain sum adds the same
     * values) rotated by a site-specific offset, so sites differ at no cost.
     */
    private static void siteUpdate(float[] base, int id, float[] update) {
        int shift = (int) ((id * 7919L) % base.length);
        System.arraycopy(base, shift, update, 0, base.length - shift);
        System.arraycopy(base, 0, update, base.length - shift, shift);
    }
}
