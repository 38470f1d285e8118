package io.callosum.benchmarks.round;

import io.callosum.benchmarks.Benchmark;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.Strategies;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.training.FitOutcome;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * One federated round of the demo configuration in one process, split into its phases: train (each site's local
 * fit), transfer (the global model down to each site and its update back, inline in Flower messages) and aggregate
 * (the coordinator's streaming FedAvg fold and finish), each against the train phase measured in the same round.
 * One warm-up round comes first, so libtorch's first-call costs and the JIT don't land in the measured one.
 */
public final class RoundTimeBenchmark implements Benchmark {

    private record SiteRound(String site, Set<Modality> modalities, double trainSeconds, long downBytes,
                             long upBytes) {
    }

    private record Round(List<SiteRound> sites, double trainSeconds, double transferSeconds,
                         double aggregateSeconds, TensorSet nextGlobal) {

        double seconds() {
            return trainSeconds + transferSeconds + aggregateSeconds;
        }

        double slowestSiteSeconds() {
            return sites.stream().mapToDouble(SiteRound::trainSeconds).max().orElseThrow();
        }
    }

    @Override
    public void run(PrintStream out) {
        Strategy fedAvg = Strategies.create(StrategySettings.defaults("fedavg"));
        try (DemoSites demo = DemoSites.open()) {
            Round warmUp = round(demo, demo.initialGlobal(), fedAvg);
            print(out, round(demo, warmUp.nextGlobal(), fedAvg));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The coordinator's order: each site gets the global, trains and answers; its update is folded as it arrives. */
    private static Round round(DemoSites demo, TensorSet global, Strategy strategy) {
        RoundAggregation aggregation = strategy.begin(global, ServerOptimizerState.none());
        List<SiteRound> sites = new ArrayList<>();
        long trainNanos = 0;
        long transferNanos = 0;
        long aggregateNanos = 0;
        for (DemoSites.Site site : demo.sites()) {
            long start = System.nanoTime();
            InlineTransfer.Carried down = InlineTransfer.carry(global.select(site.modalities()));
            long downDone = System.nanoTime();
            FitOutcome fit = site.training().fit(down.tensors(), DemoSites.FIT);
            long trained = System.nanoTime();
            InlineTransfer.Carried up = InlineTransfer.carry(fit.update());
            long upDone = System.nanoTime();
            aggregation.add(site.name(), up.tensors(), fit.examples());
            aggregateNanos += System.nanoTime() - upDone;
            trainNanos += trained - downDone;
            transferNanos += (downDone - start) + (upDone - trained);
            sites.add(new SiteRound(site.name(), site.modalities(), (trained - downDone) / 1e9, down.messageBytes(),
                    up.messageBytes()));
        }
        long finishStart = System.nanoTime();
        TensorSet next = aggregation.finish().model();
        aggregateNanos += System.nanoTime() - finishStart;
        return new Round(sites, trainNanos / 1e9, transferNanos / 1e9, aggregateNanos / 1e9, next);
    }

    private static void print(PrintStream out, Round round) {
        out.printf(Locale.ROOT, "%nOne federated round of the demo configuration: %d sites, FedAvg, %d local steps"
                        + " of batch %d, SIGReg λ %.1f, learning rate %.0e; after one warm-up round%n",
                round.sites().size(), DemoSites.FIT.localSteps(), DemoSites.FIT.batchSize(), DemoSites.FIT.lambda(),
                DemoSites.FIT.learningRate());
        out.printf(Locale.ROOT, "%-8s %-24s %10s %14s %14s%n", "site", "modalities", "train", "global down",
                "update up");
        for (SiteRound site : round.sites()) {
            out.printf(Locale.ROOT, "%-8s %-24s %9.2fs %12.2fMB %12.2fMB%n", site.site(),
                    new TreeSet<>(site.modalities()), site.trainSeconds(), site.downBytes() / 1e6,
                    site.upBytes() / 1e6);
        }
        out.printf(Locale.ROOT, "%n%-10s %12s %8s %9s%n", "phase", "time", "share", "/train");
        phase(out, "train", round.trainSeconds(), round);
        phase(out, "transfer", round.transferSeconds(), round);
        phase(out, "aggregate", round.aggregateSeconds(), round);
        phase(out, "round", round.seconds(), round);
        out.printf(Locale.ROOT, "train: %.2fs summed over the sites, %.2fs the slowest site. Here the sites train one"
                        + " after another on the same cores; the demo runs each in its own process, in parallel,"
                        + " so its train phase lasts as long as its slowest site, slowed by sharing the cores.%n",
                round.trainSeconds(), round.slowestSiteSeconds());
        out.printf(Locale.ROOT, "transfer: Flower Parameters to protobuf bytes and back, decoded by manifest, both ways"
                + " for every site: messages of a few MB travel inline (the limit is %d MiB), not in chunks;"
                + " loopback gRPC's framing and socket copies are not counted.%n", InlineTransfer.MAX_MESSAGE_BYTES >> 20);
        out.println("aggregate: every update's validation and fold into the running sums, then finish.");
    }

    private static void phase(PrintStream out, String name, double seconds, Round round) {
        out.printf(Locale.ROOT, "%-10s %10.1fms %7.2f%% %8.4fx%n", name, seconds * 1e3,
                100 * seconds / round.seconds(), seconds / round.trainSeconds());
    }
}
