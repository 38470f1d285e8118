package io.callosum.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.cli.demo.report.DemoReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Turns the coordinator's record of a federation (its API view) into the report's rounds and timings. */
final class DemoReports {
    private DemoReports() {
    }

    static List<DemoReport.RoundSummary> rounds(JsonNode view) {
        Map<Integer, List<JsonNode>> attempts = new TreeMap<>();
        for (JsonNode attempt : view.path("rounds")) {
            attempts.computeIfAbsent(attempt.path("round").path("round").asInt(), r -> new ArrayList<>()).add(attempt);
        }
        List<DemoReport.RoundSummary> rounds = new ArrayList<>();
        attempts.forEach((round, tries) -> {
            List<String> participants = new ArrayList<>();
            List<String> failed = new ArrayList<>();
            Map<String, Double> metrics = new TreeMap<>();
            Map<String, Double> timings = new TreeMap<>();
            for (JsonNode attempt : tries) {
                boolean completed = attempt.path("round").path("status").asText().equals("completed");
                for (JsonNode result : attempt.path("results")) {
                    boolean ok = result.path("status").asText().equals("ok");
                    if (ok && completed && result.path("phase").asText().equals("fit")) {
                        participants.add(result.path("participant").asText());
                    } else if (!ok) {
                        failed.add(result.path("participant").asText() + ": " + result.path("status").asText() + " "
                                + result.path("detail").asText(""));
                    }
                }
                if (completed) {
                    attempt.path("round").path("metrics").fields()
                            .forEachRemaining(m -> metrics.put(m.getKey(), m.getValue().asDouble()));
                    attempt.path("round").path("timings").fields()
                            .forEachRemaining(t -> timings.put(t.getKey(), t.getValue().asDouble()));
                }
            }
            rounds.add(new DemoReport.RoundSummary(round, tries.size(), participants, failed, metrics, timings));
        });
        return rounds;
    }

    /**
     * The protections on record: mTLS always (the demo runs no other way); secure aggregation and differential
     * privacy (the ε spent over all completed rounds) as the last completed round reported them, if they were on.
     */
    /** The strategy the coordinator stored in the federation's plan. */
    static DemoReport.Strategy strategy(JsonNode view) {
        JsonNode strategy = view.path("federation").path("plan").path("strategy");
        return new DemoReport.Strategy(strategy.path("name").asText(), strategy.path("serverLearningRate").asDouble(),
                strategy.path("serverMomentum").asDouble());
    }

    /** SIGReg's weights the coordinator stored in the federation's plan. */
    static DemoReport.Lambda lambda(JsonNode view) {
        JsonNode training = view.path("federation").path("plan").path("training");
        Map<String, Double> modalities = new TreeMap<>();
        training.path("modalityLambdas").fields().forEachRemaining(entry ->
                modalities.put(entry.getKey().toLowerCase(Locale.ROOT), entry.getValue().asDouble()));
        return new DemoReport.Lambda(training.path("lambda").asDouble(), modalities);
    }

    static DemoReport.Protections protections(String consortium, List<String> sites, double noiseMultiplier,
                                              double clipNorm, List<DemoReport.RoundSummary> rounds) {
        DemoReport.SecureAggregation secure = null;
        DemoReport.DifferentialPrivacy privacy = null;
        for (DemoReport.RoundSummary round : rounds) {
            Map<String, Double> m = round.metrics();
            if (m.containsKey("privacy.epsilon")) {
                privacy = new DemoReport.DifferentialPrivacy(noiseMultiplier, clipNorm, m.get("privacy.delta"),
                        m.get("privacy.epsilon"));
            }
            if (m.containsKey("secure_aggregation.threshold")) {
                secure = new DemoReport.SecureAggregation(m.get("secure_aggregation.threshold").intValue(),
                        m.get("secure_aggregation.neighbours").intValue(), m.get("secure_aggregation.clip"),
                        m.get("secure_aggregation.quantization_error_bound"));
            }
        }
        return new DemoReport.Protections(new DemoReport.MutualTls(consortium, sites), secure, privacy);
    }

    static DemoReport.Timings timings(double totalSeconds, List<DemoReport.RoundSummary> rounds) {
        return new DemoReport.Timings(totalSeconds, mean(rounds, "round_seconds"), mean(rounds, "train_seconds"),
                rounds.stream().mapToDouble(r -> r.timings().getOrDefault("fit_seconds", 0.0)
                        - r.timings().getOrDefault("train_seconds", 0.0)).average().orElse(Double.NaN),
                mean(rounds, "aggregate_seconds"));
    }

    private static double mean(List<DemoReport.RoundSummary> rounds, String key) {
        return rounds.stream().filter(r -> r.timings().containsKey(key)).mapToDouble(r -> r.timings().get(key))
                .average().orElse(Double.NaN);
    }
}
