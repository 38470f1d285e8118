package io.callosum.benchmarks.secagg;

import io.callosum.benchmarks.Benchmark;
import io.callosum.benchmarks.BenchmarkOptions;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.Strategies;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.secagg.MaskedUpdate;
import io.callosum.protocol.secagg.NeighbourGraph;
import io.callosum.protocol.secagg.RoundConfig;
import io.callosum.protocol.secagg.SecAggClient;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import io.callosum.protocol.secagg.SecureAggregator;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * the server's time to fold the masked inputs and unmask their sum, beside plain aggregation of the same survivors'
 * vectors in the same run. Dropped sites leave after sharing keys, the costly case for the server (it rebuilds their
 * masking keys and removes the pairwise masks their neighbours added).
 *
 * <p>Both servers start from the bytes a transport hands over: the secure one folds each masked input from its
 * little-endian bytes, then rebuilds every secret, removes the survivors' self-masks and the dropped sites' pairwise
 * masks and dequantizes; plain FedAvg is the coordinator's own streaming round ({@link RoundAggregation#add}: the
 * finiteness check and the examples-weighted fold into double sums) over a {@code .npy} view of each update's bytes.
 * Bare float32 adds of the same vectors are the floor under any plain aggregation and the strictest baseline.
 *
 * <p>Times are CPU seconds of the one thread doing the work (a site, or the server), so they are per core and other
 * processes on a shared machine don't inflate them; only the server's unmasking on every processor is wall time.
 * The server-side and plain figures are each the median of {@code --runs} servers (rounds, sums) fed the same messages
 * one after the other. {@code k} starts at the recommended {@code ~log2 N} and {@code t} at its minimum; where random
 * dropouts at that rate would leave some neighbourhood below {@code t}, another draw is tried and then a larger
 * {@code k}, and the table says which {@code k} ran.
 */
public final class SecAggBenchmark implements Benchmark {
    private static final int[] SITE_COUNTS = {10, 50, 100};
    private static final double[] DROPOUTS = {0.0, 0.1, 0.3};
    private static final double CLIP = 0.05;
    private static final int DRAWS_PER_K = 200;
    private static final String TENSOR = "imaging/encoder";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final BenchmarkOptions options;

    public SecAggBenchmark(BenchmarkOptions options) {
        this.options = options;
    }

    private record Plan(RoundConfig config, Set<Integer> dropped) {
    }

    /**
     * Seconds: site masking; the server's fold on arrival and its unmasking on one thread and on all; the plain
     * baselines over the same survivors.
     */
    private record Result(double maskMedian, double maskMax, double fold, double unmaskOneThread,
                          double unmaskAllThreads, double fedAvg, double floatAdd, double largestDifference) {
        double secureOneThread() {
            return fold + unmaskOneThread;
        }

        double secureAllThreads() {
            return fold + unmaskAllThreads;
        }
    }

    @Override
    public void run(PrintStream out) {
        int[] sizes = options.full() ? new int[]{1_000_000, 10_000_000} : new int[]{1_000_000};
        int runs = Math.max(1, options.runs());
        int threads = Runtime.getRuntime().availableProcessors();
        int largest = sizes[sizes.length - 1];
        round(plan(10, largest, 0.1), base(largest), runs, threads);

        out.printf(Locale.ROOT, "%nSecure aggregation (SecAgg+): float32 updates clipped at %.2f, dropped sites leave"
                + " after sharing keys; CPU seconds of one core, server and plain figures the median of %d runs%n",
                CLIP, runs);
        out.printf(Locale.ROOT, "%10s %5s %7s %3s %3s  %11s %9s  %8s %10s %10s  %8s %9s  %10s %10s %10s  %8s%n",
                "parameters", "sites", "dropout", "k", "t", "mask median", "mask max", "fold", "unmask 1t",
                "unmask " + threads + "t", "FedAvg", "float add", "1t/FedAvg", "1t/add", threads + "t/add",
                "max diff");
        for (int size : sizes) {
            float[] base = base(size);
            for (int sites : SITE_COUNTS) {
                for (double dropout : DROPOUTS) {
                    Plan plan = plan(sites, size, dropout);
                    Result result = round(plan, base, runs, threads);
                    out.printf(Locale.ROOT, "%10d %5d %6.0f%% %3d %3d  %10.3fs %8.3fs  %7.3fs %9.3fs %10s"
                                    + "  %7.3fs %8.3fs  %9.2fx %9.2fx %10s  %8.1g%n",
                            size, sites, 100 * dropout, plan.config().neighbours(), plan.config().threshold(),
                            result.maskMedian(), result.maskMax(), result.fold(), result.unmaskOneThread(),
                            threads > 1 ? String.format(Locale.ROOT, "%.3fs", result.unmaskAllThreads()) : "-",
                            result.fedAvg(), result.floatAdd(),
                            result.secureOneThread() / result.fedAvg(), result.secureOneThread() / result.floatAdd(),
                            threads > 1 ? String.format(Locale.ROOT, "%.2fx", result.secureAllThreads()
                                    / result.floatAdd()) : "-",
                            result.largestDifference());
                }
            }
        }
        out.println("mask: one site's quantize + self-mask + k pairwise masks (AES-CTR), CPU s. fold: the server"
                + " folding every masked input from its bytes as it arrives, CPU s. unmask: rebuilding seeds and keys"
                + " from shares, removing the masks and dequantizing, CPU s on 1 thread, wall s on " + threads
                + " (not run on one processor: -)."
                + " FedAvg: the coordinator's streaming round adding the same survivors' updates (.npy views; check"
                + " and weighted fold into doubles), CPU s. float add: bare float32 adds of those updates, CPU s."
                + " Ratios: (fold + unmask) / FedAvg and / float add. max diff: largest |secure - float add| of the"
                + " sums. Targets: mask of 10M parameters at k = 8 <= 1 s; secure <= 3x plain at 100 sites and 10%"
                + " dropout on one core. --full adds 10M parameters; --runs sets the median's runs.");
    }

    private static Result round(Plan plan, float[] base, int runs, int threads) {
        RoundConfig config = plan.config();
        SecureRandom random = new SecureRandom();
        // Every server sees the same messages: the first runs remove masks on one thread, the last on every processor.
        // Creating one allocates its sum, as the plain round's first add allocates its own, so both are timed.
        List<SecureAggregator> servers = new ArrayList<>();
        double[] foldSeconds = new double[runs + 1];
        for (int s = 0; s < runs + (threads > 1 ? 1 : 0); s++) {
            long start = THREADS.getCurrentThreadCpuTime();
            servers.add(new SecureAggregator(config, s < runs ? 1 : threads));
            foldSeconds[s] += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
        }
        SecureAggregator first = servers.get(0);
        Map<Integer, SecAggClient> clients = new TreeMap<>();
        config.clients().forEach(id -> clients.put(id, new SecAggClient(config, id, random)));
        clients.values().forEach(client -> {
            var keys = client.advertiseKeys();
            servers.forEach(server -> server.acceptKeys(keys));
        });
        servers.subList(1, servers.size()).forEach(SecureAggregator::closeAdvertising);
        first.closeAdvertising().forEach((id, message) -> {
            var shares = clients.get(id).shareKeys(message);
            servers.forEach(server -> server.acceptShares(shares));
        });
        servers.subList(1, servers.size()).forEach(SecureAggregator::closeSharing);
        Map<Integer, ForwardedShares> forwarded = first.closeSharing();

        float[] update = new float[base.length];
        List<Double> maskSeconds = new ArrayList<>();
        for (Map.Entry<Integer, ForwardedShares> entry : forwarded.entrySet()) {
            int id = entry.getKey();
            if (plan.dropped().contains(id)) {
                continue;
            }
            siteUpdate(base, id, update);
            long start = THREADS.getCurrentThreadCpuTime();
            MaskedInput input = clients.get(id).maskInput(entry.getValue(), update);
            maskSeconds.add((THREADS.getCurrentThreadCpuTime() - start) / 1e9);
            byte[] wire = input.update().toLittleEndianBytes();
            for (int s = 0; s < servers.size(); s++) {
                start = THREADS.getCurrentThreadCpuTime();
                servers.get(s).acceptMaskedInput(new MaskedInput(id, MaskedUpdate.fromLittleEndianBytes(wire)));
                foldSeconds[s] += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
            }
        }
        servers.subList(1, servers.size()).forEach(SecureAggregator::closeMaskedInput);
        Map<Integer, UnmaskingRequest> requests = first.closeMaskedInput();
        List<UnmaskingShares> revealed = new ArrayList<>();
        requests.forEach((id, request) -> revealed.add(clients.get(id).unmask(request)));
        double[] unmaskSeconds = new double[runs];
        AggregateSum secure = null;
        for (int s = 0; s < runs; s++) {
            long start = THREADS.getCurrentThreadCpuTime();
            revealed.forEach(servers.get(s)::acceptUnmaskingShares);
            AggregateSum sum = servers.get(s).unmaskSum();
            unmaskSeconds[s] = (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
            if (secure != null && !Arrays.equals(secure.sum(), sum.sum())) {
                throw new IllegalStateException("two servers fed the same messages unmasked different sums");
            }
            secure = sum;
        }
        double unmaskParallelSeconds = Double.NaN;
        if (threads > 1) {
            SecureAggregator parallel = servers.get(runs);
            long wallStart = System.nanoTime();
            revealed.forEach(parallel::acceptUnmaskingShares);
            AggregateSum secureInParallel = parallel.unmaskSum();
            unmaskParallelSeconds = (System.nanoTime() - wallStart) / 1e9;
            if (!Arrays.equals(secure.sum(), secureInParallel.sum())) {
                throw new IllegalStateException("unmasking on one thread and on several gave different sums");
            }
        }

        Plain plain = plain(secure.contributors(), base, runs);
        float[] sum = secure.sum();
        double largestDifference = IntStream.range(0, sum.length).mapToDouble(i -> Math.abs(sum[i] - plain.sum()[i]))
                .max().orElseThrow();
        double[] masks = maskSeconds.stream().mapToDouble(Double::doubleValue).toArray();
        return new Result(median(masks), Arrays.stream(masks).max().orElseThrow(),
                median(Arrays.copyOf(foldSeconds, runs)), median(unmaskSeconds), unmaskParallelSeconds,
                plain.fedAvgSeconds(), plain.floatAddSeconds(), largestDifference);
    }

    /** The plain baselines' median CPU seconds, and the float sum of the first run. */
    private record Plain(double fedAvgSeconds, double floatAddSeconds, float[] sum) {
    }

    /**
     * Plain aggregation of the contributors' updates, {@code runs} times each: the coordinator's FedAvg round over a
     * {@code .npy} view of every update's little-endian bytes, as gRPC hands one over, and bare float adds.
     */
    private static Plain plain(List<Integer> contributors, float[] base, int runs) {
        TensorSet global = tensorSet(ByteBuffer.allocate(base.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN),
                base.length);
        Strategy fedAvg = Strategies.create(StrategySettings.defaults("fedavg"));
        List<RoundAggregation> rounds = new ArrayList<>();
        List<float[]> sums = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            rounds.add(fedAvg.begin(global, ServerOptimizerState.none()));
            sums.add(new float[base.length]);
        }
        double[] fedAvgSeconds = new double[runs];
        double[] floatAddSeconds = new double[runs];
        float[] update = new float[base.length];
        ByteBuffer wire = ByteBuffer.allocate(base.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int id : contributors) {
            siteUpdate(base, id, update);
            wire.asFloatBuffer().put(update);
            TensorSet received = tensorSet(wire, base.length);
            for (int run = 0; run < runs; run++) {
                long start = THREADS.getCurrentThreadCpuTime();
                rounds.get(run).add("site-" + id, received, 1);
                fedAvgSeconds[run] += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
            }
            for (int run = 0; run < runs; run++) {
                float[] sum = sums.get(run);
                long start = THREADS.getCurrentThreadCpuTime();
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += update[i];
                }
                floatAddSeconds[run] += (THREADS.getCurrentThreadCpuTime() - start) / 1e9;
            }
        }
        return new Plain(median(fedAvgSeconds), median(floatAddSeconds), sums.get(0));
    }

    private static TensorSet tensorSet(ByteBuffer littleEndianFloats, int length) {
        NpyArray array = NpyArray.view(DType.FLOAT32, Shape.of(length), littleEndianFloats);
        return TensorSet.of(List.of(new NamedTensor(TENSOR, Modality.IMAGING, array)));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
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
