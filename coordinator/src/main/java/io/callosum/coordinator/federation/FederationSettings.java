package io.callosum.coordinator.federation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The federation the coordinator runs on its own when it starts ({@code callosum.federation.*}). */
@ConfigMapping(prefix = "callosum.federation")
public interface FederationSettings {
    /** Start (or resume) the federation named below as soon as the coordinator is up. */
    @WithDefault("false")
    boolean autostart();

    @WithDefault("default")
    String name();

    @WithDefault("jepa")
    FederationKind kind();

    @WithDefault("5")
    int rounds();

    /** Three at least for secure aggregation, where two sites could each subtract their own update from the sum. */
    @WithDefault("3")
    int minSites();

    @WithDefault("1.0")
    double fractionFit();

    @WithDefault("PT10M")
    Duration roundDeadline();

    /** Attempts per round before the federation is failed: a round whose quorum was missed is retried. */
    @WithDefault("3")
    int maxAttempts();

    @WithDefault("true")
    boolean evaluate();

    Strategy strategy();

    Training training();

    Model model();

    SecureAggregation secureAggregation();

    DifferentialPrivacy differentialPrivacy();

    interface DifferentialPrivacy {
        /** z: the noise on the sum of the sites' updates is z × clip norm per coordinate; 0 turns it off. */
        @WithDefault("0")
        double noiseMultiplier();

        @WithDefault("1.0")
        double clipNorm();

        @WithDefault("1e-5")
        double delta();
    }

    interface SecureAggregation {
        @WithDefault("true")
        boolean enabled();

        /** Largest change of one parameter by one site's weighted update in one round (the fixed-point range). */
        @WithDefault("1.0")
        double clip();

        @WithDefault("PT1M")
        Duration stageTimeout();
    }

    interface Strategy {
        @WithDefault("fedavg")
        String name();

        @WithDefault("0.01")
        double proximalMu();

        /** The server step size; unset: Flower's default for the strategy (FedAvgM 1.0, FedAdam 0.1, FedYogi 0.01). */
        Optional<Double> serverLearningRate();

        /** FedAvgM's server momentum. */
        @WithDefault("0")
        double serverMomentum();

        @WithDefault("0.9")
        double beta1();

        @WithDefault("0.99")
        double beta2();

        @WithDefault("1e-9")
        double tau();
    }

    interface Training {
        @WithDefault("20")
        int localSteps();

        @WithDefault("0.001")
        double learningRate();

        @WithDefault("32")
        int batchSize();

        @WithDefault("sigreg")
        String objective();

        @WithDefault("0.5")
        double lambda();

        /**
         * A modality's own λ where it should differ from {@link #lambda()}, by modality tag:
         * {@code callosum.federation.training.modality-lambda.omics=0.2}.
         */
        Map<String, Double> modalityLambda();

        /** {@code cosine} (to 0 over all the federation's local steps) or {@code constant}. */
        @WithDefault("cosine")
        String learningRateSchedule();

        /**
         * {@code class-balanced} (every diagnosis a site records gets the same share of its batches) or
         * {@code uniform}.
         */
        @WithDefault("class-balanced")
        String batchSampling();
    }

    interface Model {
        @WithDefault("64")
        int dim();

        @WithDefault("3")
        int depth();

        @WithDefault("4")
        int heads();

        @WithDefault("32")
        int predictorDim();

        @WithDefault("2")
        int predictorDepth();

        @WithDefault("8")
        int imagingPatch();

        @WithDefault("64")
        int eegPatch();

        @WithDefault("20")
        int omicsGroups();

        @WithDefault("7")
        long seed();
    }
}
