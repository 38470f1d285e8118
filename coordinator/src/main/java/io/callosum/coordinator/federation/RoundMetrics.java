package io.callosum.coordinator.federation;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A round's figures from its participants' answers: each reported metric averaged over the participants that
 * reported it, weighted by their examples of that modality where they say ({@code examples.<modality>}), else by
 * their examples; example counts are summed. Only such aggregates are recorded for the round; per-site figures stay in round_results.
 */
final class RoundMetrics {
    private RoundMetrics() {
    }

    static Map<String, Double> summarize(String phase, List<ParticipantOutcome> outcomes) {
        Map<String, double[]> sums = new TreeMap<>();
        long examples = 0;
        double lossSum = 0;
        long lossWeight = 0;
        int ok = 0;
        for (ParticipantOutcome outcome : outcomes) {
            if (!outcome.ok()) {
                continue;
            }
            ok++;
            examples += outcome.examples();
            if (outcome.loss().isPresent()) {
                lossSum += outcome.loss().get() * outcome.examples();
                lossWeight += outcome.examples();
            }
            for (Map.Entry<String, Double> metric : outcome.metrics().entrySet()) {
                if (!Double.isFinite(metric.getValue())) {
                    continue;
                }
                double weight = weight(metric.getKey(), outcome);
                double[] sum = sums.computeIfAbsent(metric.getKey(), k -> new double[2]);
                sum[0] += metric.getValue() * weight;
                sum[1] += weight;
            }
        }
        Map<String, Double> summary = new TreeMap<>();
        sums.forEach((key, sum) -> summary.put(phase + "." + key,
                key.startsWith("examples") ? sum[0] : sum[0] / sum[1]));
        summary.put(phase + ".participants", (double) ok);
        summary.put(phase + ".examples", (double) examples);
        if (lossWeight > 0) {
            summary.put(phase + ".loss", lossSum / lossWeight);
        }
        return summary;
    }

    private static double weight(String key, ParticipantOutcome outcome) {
        if (key.startsWith("examples")) {
            return 1;
        }
        int dot = key.lastIndexOf('.');
        if (dot > 0) {
            Double perModality = outcome.metrics().get("examples" + key.substring(dot));
            if (perModality != null) {
                return perModality;
            }
        }
        return Math.max(1, outcome.examples());
    }
}
