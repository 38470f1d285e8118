package io.callosum.cli.demo.report;

import io.callosum.cli.demo.report.DemoReport.RoundSummary;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import java.util.stream.IntStream;

/**
 * The report's plots: four read from the rounds' metrics and timings under the coordinator's key names, and those of
 * the alignment and uncertainty sections when the report has them.
 */
final class ReportCharts {
    static final String FIT_LOSS = "fit.loss.";
    static final String PROBE_ACCURACY = "evaluate.probe_accuracy.";
    static final String FIT_SECONDS = "fit_seconds";
    static final String TRAIN_SECONDS = "train_seconds";
    static final String AGGREGATE_SECONDS = "aggregate_seconds";
    static final String EVALUATE_SECONDS = "evaluate_seconds";
    static final String ROUND_SECONDS = "round_seconds";

    private static final List<SvgLineChart.Point> DIAGONAL = List.of(new SvgLineChart.Point(0, 0),
            new SvgLineChart.Point(1, 1));

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

    /** R@k against k for every modality pair, with chance (k / bank size) for comparison. */
    String retrievalCurve() {
        SvgLineChart chart = new SvgLineChart("Cross-modal retrieval on held-out subjects", "k", "recall@k");
        int longest = 0;
        int bankSize = 1;
        for (DemoReport.PairRetrieval pair : report.alignment().pairs()) {
            List<Double> curve = pair.recallCurve();
            chart.addSeries(pair.query() + " → " + pair.bank(), IntStream.range(0, curve.size())
                    .mapToObj(i -> new SvgLineChart.Point(i + 1, curve.get(i))).toList());
            longest = Math.max(longest, curve.size());
            bankSize = Math.max(bankSize, pair.bankSize());
        }
        int size = bankSize;
        return chart.addSeries("chance", IntStream.rangeClosed(1, Math.max(1, longest))
                        .mapToObj(k -> new SvgLineChart.Point(k, Math.min(1.0, (double) k / size))).toList())
                .includeInYRange(0, 1).toSvg();
    }

    /** Accuracy against confidence per bin, before and after temperature scaling; calibrated lies on the diagonal. */
    String reliability() {
        DemoReport.Uncertainty u = report.uncertainty();
        return new SvgLineChart("Reliability of the " + u.modality() + " diagnosis probe", "confidence", "accuracy")
                .addSeries("before scaling", reliabilityPoints(u.reliabilityBefore()))
                .addSeries("after scaling", reliabilityPoints(u.reliabilityAfter()))
                .addSeries("calibrated", DIAGONAL)
                .includeInYRange(0, 1).toSvg();
    }

    /** Mean empirical coverage of the conformal sets against the level they aim at. */
    String coverage() {
        DemoReport.Uncertainty u = report.uncertainty();
        return new SvgLineChart("Conformal coverage vs. level", "target level", "empirical coverage")
                .addSeries("conformal sets", u.coverageByLevel().stream()
                        .map(l -> new SvgLineChart.Point(l.level(), l.coverage())).toList())
                .addSeries("target", u.coverageByLevel().stream()
                        .map(l -> new SvgLineChart.Point(l.level(), l.level())).toList())
                .includeInYRange(0, 1).toSvg();
    }

    private static List<SvgLineChart.Point> reliabilityPoints(List<DemoReport.ReliabilityPoint> bins) {
        return bins.stream().map(b -> new SvgLineChart.Point(b.confidence(), b.accuracy())).toList();
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
