package io.callosum.coordinator.federation;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.flower.FlowerMetrics;
import io.callosum.coordinator.participants.Participant;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.AggregationResult;
import io.callosum.coordinator.strategy.RoundAggregation;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.Strategies;
import io.callosum.coordinator.strategy.Strategy;
import io.callosum.protocol.privacy.RdpAccountant;
import io.callosum.protocol.tensor.TensorSet;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * Runs one federation round by round: samples idle participants, fits, folds each answer into the strategy's
 * running aggregate as it arrives, stores the new global version when the quorum answered (or records the
 * attempt as failed and retries), then evaluates. Everything it does lands in the database and the audit log,
 * so a coordinator killed at any point resumes from the last stored version.
 */
final class RoundEngine implements Runnable {
    private static final Logger LOG = Logger.getLogger(RoundEngine.class);
    private static final String EFFECTIVE_NOISE = "secure_aggregation.effective_noise_multiplier";

    private final StoredFederation federation;
    private final FederationPlan plan;
    private final EngineServices services;
    private final Strategy strategy;
    private final Exchange exchange;
    private final SecureFit secureFit;
    /** The privacy the federation's stored rounds spent, composed over them (empty without differential privacy). */
    private RdpAccountant privacySpent = RdpAccountant.empty();

    RoundEngine(StoredFederation federation, EngineServices services) {
        this.federation = federation;
        this.plan = federation.plan();
        this.services = services;
        this.strategy = Strategies.create(plan.strategy());
        Payloads payloads = new Payloads(plan.kind(), services.storage());
        this.exchange = new Exchange(plan, payloads, services.metrics());
        this.secureFit = new SecureFit(plan, exchange, payloads, services.metrics());
    }

    @Override
    public void run() {
        FederationRecords records = services.records();
        try {
            if (plan.secureAggregation().enabled() && !services.siteTls()) {
                throw new FederationFailedException("secure aggregation admits only site agents authenticated by"
                        + " their certificates, but the site listener is not on mTLS (set callosum.tls.enabled=true"
                        + " and callosum.tls.dir to a directory written by ./callosum provision)");
            }
            int interrupted = records.closeInterrupted(federation.id());
            privacySpent = spentBy(records.rounds(federation.id()));
            records.setStatus(federation.id(), "running", null);
            ModelVersion current = services.models().latest(federation.id()).orElse(null);
            if (current == null) {
                current = initialVersion();
            } else {
                LOG.infof("[%s] resuming after round %d (version %d; %d interrupted round attempts closed)",
                        plan.name(), current.round(), current.id(), interrupted);
                // The attempts closed here started in the audit log; say how many never ended there.
                audit("federation.resumed", Map.of("round", current.round(), "version", current.id(),
                        "interrupted_attempts", interrupted));
            }
            for (int round = current.round() + 1; round <= plan.rounds(); round++) {
                current = runRound(round, current);
            }
            records.setStatus(federation.id(), "completed", null);
            audit("federation.completed", Map.of("rounds", plan.rounds(), "version", current.id()));
            LOG.infof("[%s] completed %d rounds; final version %d", plan.name(), plan.rounds(), current.id());
            services.participants().endRuns(plan.kind().listener());
        } catch (InterruptedException e) {
            LOG.infof("[%s] stopped; it resumes from its last stored version when the coordinator starts again",
                    plan.name());
            Thread.currentThread().interrupt();
        } catch (FederationFailedException e) {
            LOG.errorf("[%s] failed: %s", plan.name(), e.getMessage());
            records.setStatus(federation.id(), "failed", e.getMessage());
            audit("federation.failed", Map.of("reason", e.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "[%s] stopped by an unexpected error", plan.name());
            records.setStatus(federation.id(), "failed", String.valueOf(e.getMessage()));
            audit("federation.failed", Map.of("reason", String.valueOf(e.getMessage())));
        }
    }

    private ModelVersion initialVersion() throws InterruptedException {
        LOG.infof("[%s] waiting for %d participants to build the initial model", plan.name(), plan.minSites());
        List<Participant> idle = waitForParticipants(plan.minSites());
        TensorSet initial = plan.kind() == FederationKind.ALIGNMENT
                ? AlignmentStart.initialModel(plan, services.records(), services.models())
                : exchange.initialModel(idle, TensorSet.of(List.of()));
        if (initial.size() == 0) {
            throw new FederationFailedException("none of " + idle.stream().map(Participant::name).toList()
                    + " could give its initial tensors (see the warnings above and the sites' logs)");
        }
        ModelVersion version = services.models().store(federation.id(), Optional.empty(), 0, initial,
                ServerOptimizerState.none());
        LOG.infof("[%s round 0] initial model: %d tensors, %d bytes, modalities %s", plan.name(), initial.size(),
                initial.byteSize(), initial.modalities());
        audit("version.stored", versionDetail(version, initial));
        return version;
    }

    private List<Participant> waitForParticipants(int count) throws InterruptedException {
        while (true) {
            List<Participant> idle = services.participants().awaitIdle(plan.kind().listener(), count,
                    Instant.now().plusSeconds(30));
            if (idle.size() >= count) {
                return idle;
            }
            LOG.infof("[%s] %d of %d participants connected; waiting", plan.name(), idle.size(), count);
        }
    }

    private ModelVersion runRound(int round, ModelVersion input) throws InterruptedException {
        FederationRecords records = services.records();
        String lastFailure = "";
        while (true) {
            int attempt = records.nextAttempt(federation.id(), round);
            if (attempt > plan.maxAttempts()) {
                throw new FederationFailedException("round " + round + " failed " + plan.maxAttempts()
                        + " attempts; the last: " + lastFailure);
            }
            long roundId = records.startRound(federation.id(), round, attempt, input.id());
            String tag = "[" + plan.name() + " round " + round + (attempt > 1 ? " attempt " + attempt : "") + "]";
            audit("round.started", Map.of("round", round, "attempt", attempt, "input_version", input.id()));
            RoundAttempt result = attempt(tag, round, attempt, roundId, input);
            if (result.version() != null) {
                return result.version();
            }
            lastFailure = result.failure();
            records.failRound(roundId, lastFailure);
            audit("round.failed", Map.of("round", round, "attempt", attempt, "reason", lastFailure));
            LOG.warnf("%s failed: %s", tag, lastFailure);
        }
    }

    private RoundAttempt attempt(String tag, int round, int attempt, long roundId, ModelVersion input)
            throws InterruptedException {
        List<Participant> idle = services.participants().awaitIdle(plan.kind().listener(), plan.minSites(),
                Instant.now().plus(plan.roundDeadline()));
        if (idle.size() < plan.minSites()) {
            return RoundAttempt.failed("only " + idle.size() + " of the " + plan.minSites()
                    + " participants needed were available within the round deadline");
        }
        Instant started = Instant.now();
        Instant deadline = started.plus(plan.roundDeadline());
        List<Participant> selected = sample(idle, round);
        TensorSet global = exchange.initialModel(selected, services.models().tensors(input));
        ServerOptimizerState state = services.models().state(input);
        RoundAggregation aggregation = strategy.begin(global, state);
        LOG.infof("%s fitting on %s", tag, selected.stream().map(Participant::name).toList());

        List<ParticipantOutcome> fits;
        Map<String, Double> secureMetrics = Map.of();
        if (plan.secureAggregation().enabled()) {
            SecureFit.Result secured = secureFit.fit(tag, round, attempt, roundId, selected, global, aggregation,
                    strategy, deadline);
            fits = secured.outcomes();
            fits.forEach(outcome -> record(roundId, tag, outcome));
            if (secured.abort().isPresent()) {
                return RoundAttempt.failed(secured.abort().get());
            }
            Map<String, Object> detail = new LinkedHashMap<>(secured.summary());
            detail.put("round", round);
            audit("round.securely_aggregated", detail);
            secureMetrics = secured.roundMetrics();
        } else {
            fits = exchange.fit(tag, round, selected, global, aggregation, strategy, deadline);
            fits.forEach(outcome -> record(roundId, tag, outcome));
        }
        List<String> answered = fits.stream().filter(ParticipantOutcome::ok).map(ParticipantOutcome::participant)
                .toList();
        if (answered.size() < plan.minSites()) {
            return RoundAttempt.failed("quorum missed: " + answered.size() + " of " + plan.minSites()
                    + " needed answered (" + describeFailures(fits) + ")");
        }

        services.records().setRoundStatus(roundId, "aggregating");
        Instant aggregating = Instant.now();
        AggregationResult result = aggregation.finish();
        ModelVersion version = services.models().store(federation.id(), Optional.of(input), round,
                result.model(), result.state());
        services.records().setOutput(roundId, version.id());
        double aggregateSeconds = seconds(aggregating, Instant.now());
        Map<String, Object> stored = versionDetail(version, result.model());
        stored.put("contributors", answered);
        audit("version.stored", stored);
        LOG.infof("%s aggregated %d updates into version %d (%s)", tag, answered.size(), version.id(),
                strategy.name());

        Map<String, Double> metrics = new TreeMap<>(RoundMetrics.summarize("fit", fits));
        metrics.putAll(secureMetrics);
        metrics.putAll(chargePrivacy(secureMetrics));
        Instant evaluating = Instant.now();
        if (plan.evaluate()) {
            services.records().setRoundStatus(roundId, "evaluating");
            List<Participant> evaluators = services.participants().idle(plan.kind().listener());
            List<ParticipantOutcome> evaluations = exchange.evaluate(tag, round, evaluators, result.model(),
                    Instant.now().plus(plan.roundDeadline()));
            evaluations.forEach(outcome -> record(roundId, tag, outcome));
            metrics.putAll(RoundMetrics.summarize("evaluate", evaluations));
        }
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("fit_seconds", seconds(started, aggregating));
        timings.put("train_seconds", fits.stream().filter(ParticipantOutcome::ok)
                .mapToDouble(o -> o.metrics().getOrDefault("train_seconds", 0.0)).max().orElse(0));
        timings.put("aggregate_seconds", aggregateSeconds);
        timings.put("evaluate_seconds", seconds(evaluating, Instant.now()));
        timings.put("round_seconds", seconds(started, Instant.now()));
        services.records().completeRound(roundId, metrics, timings);
        services.metrics().roundCompleted(aggregateSeconds);
        audit("round.completed", Map.of("round", round, "version", version.id(), "participants", answered.size()));
        LOG.infof("%s completed in %.1f s: %s", tag, timings.get("round_seconds"), headline(metrics));
        return RoundAttempt.succeeded(version);
    }

    /**
     * ε of this round and of all stored rounds so far at the plan's δ, by the RDP accountant, for the noise the sum
     * carried at worst. The sites' own ledgers also charge attempts that did not complete, so theirs is at least this.
     */
    private Map<String, Double> chargePrivacy(Map<String, Double> secureMetrics) {
        Double noise = secureMetrics.get(EFFECTIVE_NOISE);
        if (noise == null) {
            return Map.of();
        }
        double delta = plan.privacy().delta();
        privacySpent = privacySpent.plusGaussian(noise);
        Map<String, Double> privacy = new LinkedHashMap<>();
        privacy.put("privacy.round_epsilon", RdpAccountant.empty().plusGaussian(noise).epsilon(delta).epsilon());
        privacy.put("privacy.epsilon", privacySpent.epsilon(delta).epsilon());
        privacy.put("privacy.delta", delta);
        return privacy;
    }

    private static RdpAccountant spentBy(List<RoundRecord> rounds) {
        RdpAccountant spent = RdpAccountant.empty();
        for (RoundRecord round : rounds) {
            if (round.status().equals("completed") && round.metrics().has(EFFECTIVE_NOISE)) {
                spent = spent.plusGaussian(round.metrics().get(EFFECTIVE_NOISE).asDouble());
            }
        }
        return spent;
    }

    /** Flower's fraction_fit: a random share of the idle participants, never fewer than the quorum needs. */
    private List<Participant> sample(List<Participant> idle, int round) {
        int wanted = Math.max(plan.minSites(), (int) Math.ceil(plan.fractionFit() * idle.size()));
        List<Participant> shuffled = new ArrayList<>(idle);
        Collections.shuffle(shuffled, new Random(plan.model().seed() * 31 + round));
        return List.copyOf(shuffled.subList(0, Math.min(wanted, shuffled.size())));
    }

    private void record(long roundId, String tag, ParticipantOutcome outcome) {
        services.records().recordResult(roundId, outcome);
        if (!outcome.ok()) {
            LOG.warnf("%s [%s] %s %s: %s", tag, outcome.participant(), outcome.phase().name().toLowerCase(),
                    outcome.status().name().toLowerCase(), outcome.detail());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("round_id", roundId);
            detail.put("phase", outcome.phase().name().toLowerCase());
            detail.put("status", outcome.status().name().toLowerCase());
            detail.put("detail", String.valueOf(outcome.detail()));
            services.audit().record(outcome.participant(), "participant.result_refused", plan.name(), detail);
        }
    }

    private static String describeFailures(List<ParticipantOutcome> outcomes) {
        List<String> failures = outcomes.stream().filter(o -> !o.ok())
                .map(o -> o.participant() + " " + o.status().name().toLowerCase()).toList();
        return failures.isEmpty() ? "no failures" : String.join(", ", failures);
    }

    private static String headline(Map<String, Double> metrics) {
        StringBuilder line = new StringBuilder();
        metrics.forEach((key, value) -> {
            if (key.contains("loss") || key.contains("probe_accuracy")) {
                line.append(line.length() == 0 ? "" : ", ").append(key).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f", value));
            }
        });
        return line.toString();
    }

    private Map<String, Object> versionDetail(ModelVersion version, TensorSet model) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("round", version.round());
        detail.put("version", version.id());
        detail.put("sha256", version.content().sha256());
        detail.put("bytes", model.byteSize());
        detail.put("parent", version.parentId().orElse(null));
        return detail;
    }

    private void audit(String action, Map<String, ?> detail) {
        services.audit().record("coordinator", action, plan.name(), detail);
    }

    private static double seconds(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }

    private record RoundAttempt(ModelVersion version, String failure) {
        static RoundAttempt failed(String reason) {
            return new RoundAttempt(null, reason);
        }

        static RoundAttempt succeeded(ModelVersion version) {
            return new RoundAttempt(version, null);
        }
    }

    /** The services an engine records through; one bundle so an engine's constructor stays readable. */
    record EngineServices(ParticipantRegistry participants, ModelRegistry models, FederationRecords records,
                          ModelStorage storage, AuditLog audit, FlowerMetrics metrics, boolean siteTls) {
    }
}
