package io.callosum.cli.demo.report;

import io.callosum.cli.demo.report.DemoReport.Lambda;
import io.callosum.cli.demo.report.DemoReport.ModalityComparison;
import io.callosum.cli.demo.report.DemoReport.MutualTls;
import io.callosum.cli.demo.report.DemoReport.Protections;
import io.callosum.cli.demo.report.DemoReport.RoundSummary;
import io.callosum.cli.demo.report.DemoReport.SecureAggregation;
import io.callosum.cli.demo.report.DemoReport.Settings;
import io.callosum.cli.demo.report.DemoReport.SiteSummary;
import io.callosum.cli.demo.report.DemoReport.Strategy;
import io.callosum.cli.demo.report.DemoReport.Timings;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A 5-round, 3-site, 3-modality run shaped like the demo's: round 3 retried after a site timed out. */
final class ReportFixture {
    static final List<String> MODALITIES = List.of("imaging", "eeg", "omics");

    private ReportFixture() {
    }

    static DemoReport fiveRounds() {
        return new DemoReport("demo-federation",
                Instant.parse("2025-05-14T09:00:00.123Z"), Instant.parse("2025-05-14T09:03:41.456Z"),
                new Settings(5, 20, 16, new Strategy("fedavgm", 1.5, 0), "sigreg",
                        new Lambda(0.05, Map.of("omics", 0.3)), "cosine", "class-balanced",
                        96, false, "cuda:0"),
                new Protections(new MutualTls("Nordic Brain", List.of("charite", "karolinska", "ucl")),
                        new SecureAggregation(2, 2, 1.0, 7e-10), null),
                List.of(new SiteSummary("charite", List.of("imaging", "eeg"), Map.of("imaging", 40, "eeg", 36)),
                        new SiteSummary("karolinska", List.of("eeg", "omics"), Map.of("eeg", 28, "omics", 30)),
                        new SiteSummary("ucl", List.of("imaging", "omics"), Map.of("imaging", 26, "omics", 22))),
                List.of(round(1, 1, List.of("charite", "karolinska", "ucl"), List.of()),
                        round(2, 1, List.of("charite", "karolinska", "ucl"), List.of()),
                        round(3, 2, List.of("charite", "ucl"), List.of("karolinska: DEADLINE_EXCEEDED fit after 30 s")),
                        round(4, 1, List.of("charite", "karolinska", "ucl"), List.of()),
                        round(5, 1, List.of("charite", "karolinska", "ucl"), List.of())),
                List.of(new ModalityComparison("imaging", 0.812, 0.834, 0.701, "ucl", 0.412, 200, 0.790, 100, 600),
                        new ModalityComparison("eeg", 0.745, 0.801, 0.752, "karolinska", 0.388, 300, 0.760, 100, 600),
                        new ModalityComparison("omics", 0.903, 0.911, 0.866, "ucl", 0.501, 200, 0.880, 100, 600)),
                new Timings(221.333, 42.5, 30.25, 6.75, 1.125), alignment(), uncertainty());
    }

    /** Three pairs among 200 held-out subjects; imaging and omics meet only through the EEG anchor. */
    static DemoReport.Alignment alignment() {
        return new DemoReport.Alignment("demo-federation-alignment", "eeg", 3, 30, 200, 41.5, List.of(
                pair("imaging", "eeg", true, 0.035, 0.145),
                pair("imaging", "omics", false, 0.02, 0.095),
                pair("eeg", "omics", true, 0.04, 0.16)));
    }

    private static DemoReport.PairRetrieval pair(String query, String bank, boolean direct, double r1, double r10) {
        List<Double> curve = new ArrayList<>();
        for (int k = 1; k <= 50; k++) {
            curve.add(Math.min(1, r1 + (r10 - r1) * (k - 1) / 9.0));
        }
        return new DemoReport.PairRetrieval(query, bank, direct, 200, r1, r10, 0.005, 0.05, curve, 2 * r1, 2 * r10);
    }

    /** An overconfident probe that temperature scaling calibrates; 90% sets covering 84–96% of the test halves. */
    static DemoReport.Uncertainty uncertainty() {
        List<Double> coverage = new ArrayList<>();
        for (int split = 0; split < 20; split++) {
            coverage.add(0.84 + 0.12 * split / 19);
        }
        return new DemoReport.Uncertainty("eeg", 80, 60, 60, 0.683, 1.74, 0.142, 0.051,
                List.of(new DemoReport.ReliabilityPoint(0.55, 0.42, 12), new DemoReport.ReliabilityPoint(0.85, 0.61, 30),
                        new DemoReport.ReliabilityPoint(0.97, 0.78, 18)),
                List.of(new DemoReport.ReliabilityPoint(0.45, 0.42, 20), new DemoReport.ReliabilityPoint(0.65, 0.66, 28),
                        new DemoReport.ReliabilityPoint(0.82, 0.8, 12)),
                0.9, coverage, List.of(new DemoReport.LevelCoverage(0.5, 0.52, 1.1),
                        new DemoReport.LevelCoverage(0.8, 0.81, 1.7), new DemoReport.LevelCoverage(0.9, 0.9, 2.1)),
                List.of(new DemoReport.OodDetection("imaging", 168, 200, 100, 0.97, 0.96, 0.99),
                        new DemoReport.OodDetection("eeg", 240, 200, 100, 0.912, 0.905, 0.998)));
    }

    /** The report of a run whose alignment phase did not complete: no alignment or uncertainty section. */
    static DemoReport withoutAlignment(DemoReport report) {
        return new DemoReport(report.federation(), report.startedAt(), report.finishedAt(), report.settings(),
                report.protections(), report.sites(), report.rounds(), report.comparison(), report.timings(), null,
                null);
    }

    /** Losses fall and accuracies rise with the round, each modality at its own level. */
    static RoundSummary round(int round, int attempts, List<String> participants, List<String> failed) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (int m = 0; m < MODALITIES.size(); m++) {
            String modality = MODALITIES.get(m);
            metrics.put("fit.loss." + modality, 2.0 + m * 0.4 - 0.25 * round);
            metrics.put("fit.prediction_loss." + modality, 1.5 + m * 0.3 - 0.2 * round);
            metrics.put("evaluate.probe_accuracy." + modality, 0.45 + m * 0.05 + 0.07 * round);
            metrics.put("evaluate.effective_rank." + modality, 20.0 + 4 * round);
        }
        metrics.put("fit.participants", (double) participants.size());
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("fit_seconds", 36.0 + round);
        timings.put("train_seconds", 30.0 + round / 2.0);
        timings.put("aggregate_seconds", 1.125);
        timings.put("evaluate_seconds", 4.5);
        timings.put("round_seconds", 42.5 + round);
        return new RoundSummary(round, attempts, participants, failed, metrics, timings);
    }

    /** The report with one round's metric replaced, e.g. by NaN as a coordinator records a diverged loss. */
    static DemoReport withMetric(DemoReport report, int round, String key, double value) {
        List<RoundSummary> rounds = report.rounds().stream().map(r -> {
            if (r.round() != round) {
                return r;
            }
            Map<String, Double> metrics = new LinkedHashMap<>(r.metrics());
            metrics.put(key, value);
            return new RoundSummary(r.round(), r.attempts(), r.participants(), r.failed(), metrics, r.timings());
        }).toList();
        return new DemoReport(report.federation(), report.startedAt(), report.finishedAt(), report.settings(),
                report.protections(), report.sites(), rounds, report.comparison(), report.timings(),
                report.alignment(), report.uncertainty());
    }
}
