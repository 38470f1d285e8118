package io.callosum.cli.demo.report;

import io.callosum.cli.demo.report.DemoReport.RoundSummary;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;

/** The report's four plots, read from the rounds' metrics and timings under the coordinator's key names. */
final class ReportCharts {
    static final String FIT_LOSS = "fit.loss.";
    static final String PROBE_ACCURACY = "evaluate.probe_accuracy.";
    static final String FIT_SECONDS = "fit_seconds";
    static final String TRAIN_SECONDS = "train_seconds";
    static final String AGGREGATE_SECONDS = "aggregate_seconds";
    static final String EVALUATE_SECONDS = "evaluate_seconds";
    static final String ROUND_SECONDS = "round_seconds";

    private final DemoReport report;
    private final List<String> modalities;

    ReportCharts(DemoReport report) {
        this.report = report;
        this.modalities = modalities(report);
    }

    /**
     * The headline comparison's order first, then any other modality a site holds or a metric names, so that a
     * modality keeps its colour from chart to chart.
     */
    static List<String> modalities(DemoReport report) {
        Set<String> ordered = new LinkedHashSet<>();
        report.comparison().forEach(c -> ordered.add(c.modality()));
        report.sites().forEach(s -> ordered.addAll(s.modalities()));
        Set<String> fromMetrics = new TreeSet<>();
        for (RoundSummary round : report.rounds()) {
            for (String key : round.metrics().keySet()) {
                for (String prefix : List.of(FIT_LOSS, PROBE_ACCURACY)) {
                    if (key.startsWith(prefix)) {
                        fromMetrics.add(key.substring(prefix.length()));
                    }
                }
            }
        }
        ordered.addAll(fromMetrics);
        return List.copyOf(ordered);
    }

    String fitLoss() {
        return perModality(new SvgLineChart("Fit loss per round", "round", "loss"), FIT_LOSS)
                .toSvg();
    }

    String probeAccuracy() {
        return perModality(new SvgLineChart("Probe accuracy per round", "round", "linear-probe accuracy"), PROBE_ACCURACY)
                .includeInYRange(0, 1)
                .toSvg();
    }

    String participation() {
        return new SvgLineChart("Participation per round", "round", "sites / attempts")
                .addSeries("participants", perRound(r -> r.participants().size()))
                .addSeries("failed", perRound(r -> r.failed().size()))
                .addSeries("attempts", perRound(RoundSummary::attempts))
                .includeInYRange(0)
                .toSvg();
    }

    String roundTimings() {
        List<String> rounds = report.rounds().stream().map(r -> Integer.toString(r.round())).toList();
        return new SvgBarChart("Time per round", "round", "seconds", rounds)
                .addSeries("train", timing(r -> seconds(r, TRAIN_SECONDS)))
                .addSeries("transfer", timing(ReportCharts::transferSeconds))
                .addSeries("aggregate", timing(r -> seconds(r, AGGREGATE_SECONDS)))
                .addSeries("evaluate", timing(r -> seconds(r, EVALUATE_SECONDS)))
                .toSvg();
    }

    /** The part of a fit that was not local training: sending, waiting and receiving. Never below zero, as clocks differ. */
    private static double transferSeconds(RoundSummary round) {
        return Math.max(0, seconds(round, FIT_SECONDS) - seconds(round, TRAIN_SECONDS));
    }

    private SvgLineChart perModality(SvgLineChart chart, String metricPrefix) {
        for (String modality : modalities) {
            chart.addSeries(modality, perRound(r -> metric(r.metrics(), metricPrefix + modality)));
        }
        return chart;
    }

    private List<SvgLineChart.Point> perRound(ToDoubleFunction<RoundSummary> value) {
        return report.rounds().stream().map(r -> new SvgLineChart.Point(r.round(), value.applyAsDouble(r))).toList();
    }

    private List<Double> timing(ToDoubleFunction<RoundSummary> value) {
        return report.rounds().stream().map(r -> value.applyAsDouble(r)).toList();
    }

    static double seconds(RoundSummary round, String key) {
        return metric(round.timings(), key);
    }

    /** A key the round did not record (or recorded as null) is a gap, not a zero. */
    private static double metric(Map<String, Double> values, String key) {
        Double value = values == null ? null : values.get(key);
        return value == null ? Double.NaN : value;
    }
}
