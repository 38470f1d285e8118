package io.callosum.cli.demo.report;

import io.callosum.cli.demo.report.DemoReport.DifferentialPrivacy;
import io.callosum.cli.demo.report.DemoReport.ModalityComparison;
import io.callosum.cli.demo.report.DemoReport.Protections;
import io.callosum.cli.demo.report.DemoReport.RoundSummary;
import io.callosum.cli.demo.report.DemoReport.SecureAggregation;
import io.callosum.cli.demo.report.DemoReport.Settings;
import io.callosum.cli.demo.report.DemoReport.SiteSummary;
import io.callosum.cli.demo.report.DemoReport.Timings;

import io.callosum.encoders.synth.Phenotype;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.callosum.cli.demo.report.Markup.escape;
import static io.callosum.cli.demo.report.Markup.number;

/** The report as one HTML page that needs nothing from the network: styles inline, plots as inline SVG. */
final class ReportPage {
    private static final String STYLE = """
            body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222;
                   max-width: 1360px; margin: 0 auto; padding: 24px; }
            h1 { margin-bottom: 0; }
            h2 { margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            .subtitle { color: #555; margin-top: 4px; }
            .summary { display: flex; flex-wrap: wrap; gap: 32px; align-items: flex-start; }
            table { border-collapse: collapse; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e4e4e4; text-align: left; vertical-align: top; }
            th { background: #f4f4f4; }
            td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .pass { color: #1a7f37; font-weight: bold; }
            .fail { color: #c62828; font-weight: bold; }
            tr.troubled td { background: #fff6e5; }
            .charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 16px; }
            .charts svg { width: 100%; height: auto; border: 1px solid #e4e4e4; border-radius: 4px; }
            .note { color: #555; max-width: 900px; }
            """;

    private final DemoReport report;
    private final StringBuilder html = new StringBuilder();

    private ReportPage(DemoReport report) {
        this.report = report;
    }

    static String render(DemoReport report) {
        return new ReportPage(report).page();
    }

    private String page() {
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Callosum demo report: ").append(escape(report.federation())).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n");
        header();
        comparison();
        alignment();
        uncertainty();
        charts();
        rounds();
        return html.append("</body>\n</html>\n").toString();
    }

    private void header() {
        html.append("<h1>Callosum demo report</h1>\n<p class=\"subtitle\">Federation <strong>")
                .append(escape(report.federation())).append("</strong> &middot; started ")
                .append(escape(String.valueOf(report.startedAt()))).append(" &middot; finished ")
                .append(escape(String.valueOf(report.finishedAt()))).append(durationSuffix()).append("</p>\n");
        html.append("<div class=\"summary\">\n");
        sites();
        settings();
        protections();
        timings();
        html.append("</div>\n");
    }

    private String durationSuffix() {
        if (report.startedAt() == null || report.finishedAt() == null) {
            return "";
        }
        Duration took = Duration.between(report.startedAt(), report.finishedAt());
        return " (" + number(took.toMillis() / 1000.0, 1) + " s)";
    }

    private void sites() {
        html.append("<section>\n<h2>Sites</h2>\n<table>\n<tr><th>site</th><th>modalities</th><th>subjects</th></tr>\n");
        for (SiteSummary site : report.sites()) {
            String subjects = subjectOrder(site).stream()
                    .map(modality -> escape(modality) + " " + site.subjects().get(modality))
                    .collect(Collectors.joining(", "));
            html.append("<tr><td>").append(escape(site.name())).append("</td><td>")
                    .append(escape(String.join(", ", site.modalities()))).append("</td><td>").append(subjects)
                    .append("</td></tr>\n");
        }
        html.append("</table>\n</section>\n");
    }

    /** The site's own modality order, so both columns line up; counts under any other key follow, sorted. */
    private static List<String> subjectOrder(SiteSummary site) {
        Set<String> keys = new TreeSet<>(site.subjects().keySet());
        List<String> ordered = new ArrayList<>(site.modalities().stream().filter(keys::contains).toList());
        keys.removeAll(ordered);
        ordered.addAll(keys);
        return ordered;
    }

    private void settings() {
        Settings s = report.settings();
        html.append("<section>\n<h2>Settings</h2>\n<table>\n");
        row("rounds", Integer.toString(s.rounds()));
        row("local steps per round", Integer.toString(s.localSteps()));
        row("batch size", Integer.toString(s.batchSize()));
        row("strategy", s.strategy().label());
        row("objective", s.objective());
        row("λ", s.lambda().label());
        row("learning-rate schedule", s.learningRateSchedule());
        row("batch sampling", s.batchSampling());
        row("subjects", Integer.toString(s.subjects()));
        row("phenotype", s.traits() ? "clinical components and " + Phenotype.TRAITS + " traits"
                : "clinical components");
        row("device", s.device());
        html.append("</table>\n</section>\n");
    }

    private void protections() {
        Protections p = report.protections();
        if (p == null) {
            return;
        }
        html.append("<section>\n<h2>Protections</h2>\n<table>\n");
        row("site identity", p.mutualTls() == null ? "none"
                : "mTLS, consortium " + p.mutualTls().consortium() + " (" + p.mutualTls().sites().size() + " sites)");
        SecureAggregation secure = p.secureAggregation();
        // The alignment phase runs with pretraining's secure-aggregation setting, so its rounds were masked too.
        String rounds = report.alignment() == null ? "pretraining rounds" : "pretraining and alignment rounds";
        row("secure aggregation", secure == null ? "off"
                : "SecAgg+ on " + rounds + ", threshold " + secure.threshold() + ", " + secure.neighbours()
                        + " neighbours, clip ±" + number(secure.clip(), 3) + ", sum exact to "
                        + String.format(Locale.ROOT, "%.1e", secure.quantizationErrorBound()));
        DifferentialPrivacy privacy = p.differentialPrivacy();
        row("differential privacy", privacy == null ? "off"
                : "ε = " + number(privacy.epsilonSpent(), 2) + " at δ = " + String.format(Locale.ROOT, "%.0e",
                        privacy.delta()) + " (noise ×" + number(privacy.noiseMultiplier(), 2) + ", L2 clip "
                        + number(privacy.clipNorm(), 3) + ")");
        html.append("</table>\n</section>\n");
    }

    private void timings() {
        Timings t = report.timings();
        html.append("<section>\n<h2>Timings</h2>\n<table>\n");
        row("total", number(t.totalSeconds(), 1) + " s");
        row("mean round", number(t.meanRoundSeconds(), 2) + " s");
        row("mean local training", number(t.meanTrainSeconds(), 2) + " s");
        row("mean transfer", number(t.meanTransferSeconds(), 2) + " s");
        row("mean aggregation", number(t.meanAggregateSeconds(), 2) + " s");
        html.append("</table>\n</section>\n");
    }

    private void row(String label, String value) {
        html.append("<tr><th>").append(escape(label)).append("</th><td>").append(escape(value)).append("</td></tr>\n");
    }

    private void comparison() {
        html.append("""
                <h2>Federated vs. centralized vs. local-only</h2>
                <p class="note">Linear-probe accuracy on the same freshly generated subjects, which no site held
                (fitted on 70% of them, scored on the rest, averaged over 10 splits). <em>Centralized</em> trains on the
                union of the subjects the sites trained on, with every step they took together (<em>after the
                federation's steps</em>: the same run when it had taken only as many steps as one site, i.e. trained as
                long as the federation ran); <em>local-only</em> trains on the training subjects of the weakest site
                holding the modality, with that site's steps. Goals: federated reaches at least 95% of centralized
                (every step), and at least local-only.</p>
                <table class="comparison">
                <tr><th>modality</th><th>federated</th><th>centralized</th><th>federated / centralized</th>
                <th>&ge; 95% of centralized</th><th>local-only</th><th>weakest site</th><th>&ge; local-only</th>
                <th>random init</th><th>steps</th><th>centralized after the federation's steps</th></tr>
                """);
        for (ModalityComparison c : report.comparison()) {
            html.append("<tr><td>").append(escape(c.modality())).append("</td>")
                    .append(numberCell(c.federated(), 3)).append(numberCell(c.centralized(), 3))
                    .append(numberCell(c.federatedOverCentralized(), 3))
                    .append("<td>").append(verdict(c.meetsCentralizedGoal())).append("</td>")
                    .append(numberCell(c.localOnly(), 3))
                    .append("<td>").append(escape(c.weakestSite())).append("</td>")
                    .append("<td>").append(verdict(c.meetsLocalGoal())).append("</td>")
                    .append(numberCell(c.randomInit(), 3))
                    .append("<td class=\"num\">").append(c.steps()).append("</td>")
                    .append("<td class=\"num\">").append(number(c.centralizedAtFederationLength(), 3))
                    .append(" (").append(c.federationLength()).append(" steps)</td></tr>\n");
        }
        long meetingBoth = report.comparison().stream().filter(c -> c.meetsCentralizedGoal() && c.meetsLocalGoal()).count();
        html.append("</table>\n<p><strong>").append(meetingBoth).append(" of ").append(report.comparison().size())
                .append("</strong> modalities meet both goals.</p>\n");
    }

    private void alignment() {
        DemoReport.Alignment a = report.alignment();
        if (a == null) {
            return;
        }
        html.append("<h2>Alignment: one latent space</h2>\n<p class=\"note\">Federation <strong>")
                .append(escape(a.federation())).append("</strong> trained the shared-space heads over the frozen"
                        + " pretrained encoders for ").append(a.rounds()).append(" rounds of ").append(a.localSteps())
                .append(" local steps, binding every modality to the <strong>").append(escape(a.anchor()))
                .append("</strong> anchor (").append(number(a.seconds(), 1)).append(" s with this assessment)."
                        + " Retrieval ranks each held-out subject's own record among all ")
                .append(a.heldOutSubjects()).append(" freshly generated subjects of the other modality, which"
                        + " share its diagnosis, severity and a per-subject phenotype. Head updates are aggregated as"
                        + " the protections above say. <em>Truth-mapped</em>: the same retrieval through a ridge map"
                        + " of the frozen embeddings onto the generator's truth of each subject (phenotype, severity,"
                        + " diagnosis), fitted on the training sites' subjects: what these encoders allow, whatever"
                        + " the heads.</p>\n<table>\n"
                        + "<tr><th>query</th><th>bank</th><th>bound</th><th>R@1</th><th>chance</th><th>R@10</th>"
                        + "<th>chance</th><th>truth-mapped R@1</th><th>truth-mapped R@10</th></tr>\n");
        for (DemoReport.PairRetrieval p : a.pairs()) {
            html.append("<tr><td>").append(escape(p.query())).append("</td><td>").append(escape(p.bank()))
                    .append("</td><td>").append(p.boundDirectly() ? "directly" : "through the anchor").append("</td>")
                    .append(numberCell(p.recallAt1(), 3)).append(numberCell(p.chanceAt1(), 3))
                    .append(numberCell(p.recallAt10(), 3)).append(numberCell(p.chanceAt10(), 3))
                    .append(numberCell(p.truthMappedRecallAt1(), 3)).append(numberCell(p.truthMappedRecallAt10(), 3))
                    .append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private void uncertainty() {
        DemoReport.Uncertainty u = report.uncertainty();
        if (u == null) {
            return;
        }
        double lowest = u.splitCoverage().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double highest = u.splitCoverage().stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        html.append("<h2>Uncertainty: how far to trust a prediction</h2>\n<p class=\"note\">A linear diagnosis"
                        + " probe on the federated <strong>").append(escape(u.modality()))
                .append("</strong> encoder's embeddings, fitted on ").append(u.probeSubjects())
                .append(" held-out subjects; the others split at random ").append(u.splitCoverage().size())
                .append(" times into ").append(u.calibrationSubjects()).append(" that calibrate and ")
                .append(u.testSubjects()).append(" that test.</p>\n<table>\n");
        row("probe accuracy", number(u.accuracy(), 3));
        row("ECE before / after temperature scaling", number(u.eceBefore(), 3) + " / " + number(u.eceAfter(), 3)
                + " (T = " + number(u.temperature(), 2) + ")");
        row(number(100 * u.level(), 0) + "% conformal sets (randomized APS): coverage per split",
                number(100 * lowest, 1) + "% – " + number(100 * highest, 1) + "%");
        html.append("</table>\n");
        if (u.outOfDistribution().isEmpty()) {
            return;
        }
        html.append("<p class=\"note\">Out-of-distribution detection: a class-conditional Gaussian fitted on the"
                + " training sites' embeddings scores held-out subjects from the usual equipment against subjects of"
                + " a site with an unseen scanner, amplifier and assay; a second Gaussian scores the tokenizer's"
                + " statistics (patch embeddings before attention), which keep what the pooled embedding learns to"
                + " ignore.</p>\n<table>\n<tr><th>modality</th>"
                + "<th>reference</th><th>in-distribution</th><th>shifted</th><th>AUROC (Mahalanobis)</th>"
                + "<th>AUROC (energy)</th><th>AUROC (tokenizer statistics)</th></tr>\n");
        for (DemoReport.OodDetection d : u.outOfDistribution()) {
            html.append("<tr><td>").append(escape(d.modality())).append("</td><td class=\"num\">")
                    .append(d.referenceSubjects()).append("</td><td class=\"num\">").append(d.inDistribution())
                    .append("</td><td class=\"num\">").append(d.shifted()).append("</td>")
                    .append(numberCell(d.mahalanobisAuroc(), 3)).append(numberCell(d.energyAuroc(), 3))
                    .append(numberCell(d.tokenStatisticsAuroc(), 3)).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String numberCell(double value, int decimals) {
        return "<td class=\"num\">" + number(value, decimals) + "</td>";
    }

    private static String verdict(boolean met) {
        return met ? "<span class=\"pass\">&#10003; pass</span>" : "<span class=\"fail\">&#10007; fail</span>";
    }

    private void charts() {
        ReportCharts charts = new ReportCharts(report);
        html.append("<h2>Rounds at a glance</h2>\n<div class=\"charts\">\n")
                .append(charts.fitLoss())
                .append(charts.probeAccuracy())
                .append(charts.participation())
                .append(charts.roundTimings());
        if (report.alignment() != null) {
            html.append(charts.retrievalCurve());
        }
        if (report.uncertainty() != null) {
            html.append(charts.reliability()).append(charts.coverage());
        }
        html.append("</div>\n");
    }

    private void rounds() {
        html.append("<h2>Rounds</h2>\n<table class=\"rounds\">\n<tr><th>round</th><th>attempts</th>"
                + "<th>participants</th><th>failures</th><th>round time (s)</th></tr>\n");
        for (RoundSummary r : report.rounds()) {
            boolean troubled = r.attempts() > 1 || !r.failed().isEmpty();
            html.append(troubled ? "<tr class=\"troubled\">" : "<tr>")
                    .append("<td class=\"num\">").append(r.round()).append("</td>")
                    .append("<td class=\"num\">").append(r.attempts()).append("</td>")
                    .append("<td>").append(escape(String.join(", ", r.participants()))).append("</td>")
                    .append("<td>").append(lines(r.failed())).append("</td>")
                    .append(numberCell(ReportCharts.seconds(r, ReportCharts.ROUND_SECONDS), 2)).append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static String lines(List<String> texts) {
        return texts.isEmpty() ? "&ndash;" : texts.stream().map(Markup::escape).collect(Collectors.joining("<br>"));
    }
}
