package io.callosum.cli.demo.report;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;

/** What one run of {@code callosum demo} did and how well the federated encoders came out; rendered by {@link ReportWriter}. */
public record DemoReport(String federation, Instant startedAt, Instant finishedAt, Settings settings,
                         Protections protections, List<SiteSummary> sites, List<RoundSummary> rounds, List<ModalityComparison> comparison,
                         Timings timings, Alignment alignment, Uncertainty uncertainty) {

    public record Settings(int rounds, int localSteps, int batchSize, Strategy strategy, String objective,
                           Lambda lambda, String learningRateSchedule, String batchSampling, int subjects,
                           boolean traits, String device) {}

    /** SIGReg's weight as the stored plan has it: one for every encoder, and the modalities' own (by tag). */
    public record Lambda(double all, Map<String, Double> modalities) {
        public Lambda {
            modalities = Collections.unmodifiableMap(new TreeMap<>(modalities));
        }

        /** {@code 0.5 (omics 0.3)}. */
        public String label() {
            StringJoiner own = new StringJoiner(", ", " (", ")").setEmptyValue("");
            modalities.forEach((modality, lambda) -> own.add(modality + " " + lambda));
            return all + own.toString();
        }
    }

    /** The strategy as the stored plan has it; FedAvg and FedProx step to the mean (server learning rate 1). */
    public record Strategy(String name, double serverLearningRate, double serverMomentum) {

        /** The name, with the server step and momentum where they differ from FedAvg's. */
        public String label() {
            StringBuilder label = new StringBuilder(name);
            if (serverLearningRate != 1) {
                label.append(", server learning rate ").append(serverLearningRate);
            }
            if (serverMomentum != 0) {
                label.append(", server momentum ").append(serverMomentum);
            }
            return label.toString();
        }
    }

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
     * a centralized run on the union of the same data with the same step budget ({@code steps}, every step the sites
     * took together; the goal is judged against it), the same run when it had taken only as many steps as the
     * federation's rounds × local steps ({@code centralizedAtFederationLength}: centralized training of the
     * federation's duration), and local-only training at the weakest site holding that modality; plus the encoder at
     * random initialization.
     */
    // The derived values are written to JSON for readers of the file alone, and recomputed rather than read back.
    @JsonIgnoreProperties(value = {"federatedOverCentralized", "meetsCentralizedGoal", "meetsLocalGoal"}, allowGetters = true)
    public record ModalityComparison(String modality, double federated, double centralized, double localOnly,
                                     String weakestSite, double randomInit, int steps,
                                     double centralizedAtFederationLength, int federationLength, int probeSubjects) {

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

    /**
     * The alignment phase: the federation that trained the shared-space heads over the pretrained encoders, bound to
     * {@code anchor}, and cross-modal retrieval among {@code heldOutSubjects} freshly generated subjects that no site
     * held, with the time the phase took (federation and assessment).
     */
    public record Alignment(String federation, String anchor, int rounds, int localSteps, int heldOutSubjects,
                            double seconds, List<PairRetrieval> pairs) {}

    /**
     * Retrieval of each {@code query} subject's own record among {@code bankSize} {@code bank} records in the
     * shared space. {@code boundDirectly}: one of the two is the anchor, so sites trained this pair; otherwise it
     * aligned only through the anchor. {@code recallCurve}: R@k for k = 1, 2, …, its length. {@code truthMapped…}:
     * the same retrieval through a ridge map of the frozen embeddings onto the generator's truth of each subject,
     * fitted on the training sites' subjects: what these encoders allow, whatever the heads.
     */
    public record PairRetrieval(String query, String bank, boolean boundDirectly, int bankSize, double recallAt1,
                                double recallAt10, double chanceAt1, double chanceAt10, List<Double> recallCurve,
                                double truthMappedRecallAt1, double truthMappedRecallAt10) {}

    /**
     * How far to trust a diagnosis probe on the federated {@code modality} encoder's embeddings of held-out subjects:
     * its accuracy, expected calibration error before and after temperature scaling (means over the calibration
     * splits), the reliability diagram of the first split, and split-conformal sets at {@code level}: their
     * coverage of the test subjects in each of the random calibration splits, and mean coverage per level; and
     * how well each modality's embeddings flag subjects acquired with unseen equipment.
     */
    public record Uncertainty(String modality, int probeSubjects, int calibrationSubjects, int testSubjects,
                              double accuracy, double temperature, double eceBefore, double eceAfter,
                              List<ReliabilityPoint> reliabilityBefore, List<ReliabilityPoint> reliabilityAfter,
                              double level, List<Double> splitCoverage, List<LevelCoverage> coverageByLevel,
                              List<OodDetection> outOfDistribution) {}

    /**
     * Out-of-distribution detection on one modality's encoder embeddings: a class-conditional Gaussian fitted on
     * {@code referenceSubjects} of the training sites scores {@code inDistribution} held-out subjects from the usual
     * equipment and {@code shifted} ones from a site with unseen scanner, amplifier and assay; AUROC of the
     * Mahalanobis distance and of the Gaussian energy (1 separates perfectly, 0.5 is chance).
     */
    public record OodDetection(String modality, int referenceSubjects, int inDistribution, int shifted,
                               double mahalanobisAuroc, double energyAuroc, double tokenStatisticsAuroc) {}

    /** One non-empty bin of a reliability diagram: mean confidence, accuracy, subjects. */
    public record ReliabilityPoint(double confidence, double accuracy, int count) {}

    /** Mean coverage and set size of conformal sets aimed at {@code level} over the calibration splits. */
    public record LevelCoverage(double level, double coverage, double averageSetSize) {}
}
