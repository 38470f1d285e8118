package io.callosum.cli.demo.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What one run of {@code callosum demo} did and how well the federated encoders came out; rendered by {@link ReportWriter}. */
public record DemoReport(String federation, Instant startedAt, Instant finishedAt, Settings settings,
                         Protections protections, List<SiteSummary> sites, List<RoundSummary> rounds, List<ModalityComparison> comparison,
                         Timings timings) {

    public record Settings(int rounds, int localSteps, int batchSize, String strategy, String objective, double lambda,
                           int subjects, String device) {}

    /**
     * What protected the sites' data in the run. {@code mutualTls}: the consortium whose CA the coordinator and the
     * sites authenticated each other with. {@code secureAggregation} and {@code differentialPrivacy} are null when
     * off.
     */
    public record Protections(MutualTls mutualTls, SecureAggregation secureAggregation,
                              DifferentialPrivacy differentialPrivacy) {}

    public record MutualTls(String consortium, List<String> sites) {}

    /**
     * SecAgg+ as the rounds ran it: Shamir threshold t, neighbours k per site, the clipping bound of one site's
     * weighted update per parameter, and the largest quantization error of one round's sum.
     */
    public record SecureAggregation(int threshold, int neighbours, double clip, double quantizationErrorBound) {}

    /**
     * Per-site differential privacy: updates clipped to L2 norm {@code clipNorm}, Gaussian noise of
     * {@code noiseMultiplier × clipNorm} on the sum, and the (ε, δ) spent over all rounds.
     */
    public record DifferentialPrivacy(double noiseMultiplier, double clipNorm, double delta, double epsilonSpent) {}

    /** {@code subjects}: subject count per modality held at the site. */
    public record SiteSummary(String name, List<String> modalities, Map<String, Integer> subjects) {}

    /**
     * metrics keys as the coordinator records them, e.g. "fit.loss.imaging", "fit.prediction_loss.eeg",
     * "evaluate.probe_accuracy.omics", "evaluate.effective_rank.imaging", "fit.participants";
     * participants = site names that contributed; failed = "site: status detail" lines.
     * timings keys: fit_seconds, train_seconds, aggregate_seconds, evaluate_seconds, round_seconds.
     */
    public record RoundSummary(int round, int attempts, List<String> participants, List<String> failed,
                               Map<String, Double> metrics, Map<String, Double> timings) {}

    /**
     * Probe accuracy on held-out subjects of the same evaluation split, per modality: the federated global encoder,
     * a centralized run on the union of the same data with the same step budget, and local-only training at the
     * weakest site holding that modality; plus the encoder at random initialization.
     */
    // The derived values are written to JSON for readers of the file alone, and recomputed rather than read back.
    @JsonIgnoreProperties(value = {"federatedOverCentralized", "meetsCentralizedGoal", "meetsLocalGoal"}, allowGetters = true)
    public record ModalityComparison(String modality, double federated, double centralized, double localOnly,
                                     String weakestSite, double randomInit, int steps) {

        /** The federated encoder may lose at most this fraction of the centralized accuracy. */
        public static final double CENTRALIZED_GOAL_RATIO = 0.95;

        @JsonProperty
        public double federatedOverCentralized() {
            return federated / centralized;
        }

        @JsonProperty
        public boolean meetsCentralizedGoal() {
            return federated >= CENTRALIZED_GOAL_RATIO * centralized;
        }

        @JsonProperty
        public boolean meetsLocalGoal() {
            return federated >= localOnly;
        }
    }

    public record Timings(double totalSeconds, double meanRoundSeconds, double meanTrainSeconds,
                          double meanTransferSeconds, double meanAggregateSeconds) {}
}
