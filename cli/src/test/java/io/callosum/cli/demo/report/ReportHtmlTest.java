package io.callosum.cli.demo.report;

import io.callosum.cli.demo.report.DemoReport.ModalityComparison;
import io.callosum.cli.demo.report.DemoReport.SiteSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportHtmlTest {
    private static final Pattern SVG = Pattern.compile("<svg\\b.*?</svg>", Pattern.DOTALL);

    @TempDir
    Path dir;

    @Test
    void writesASamplePageToLookAt() throws Exception {
        Path sample = Path.of("target", "report-sample.html");
        Files.createDirectories(sample.getParent());

        ReportWriter.writeHtml(ReportFixture.fiveRounds(), sample);

        assertTrue(Files.readString(sample).startsWith("<!DOCTYPE html>"));
    }

    @Test
    void namesTheStrategyWithTheServerStepWhereItIsNotFedAvgs() throws Exception {
        assertTrue(html(ReportFixture.fiveRounds())
                .contains("<tr><th>strategy</th><td>fedavgm, server learning rate 1.5</td></tr>"));
        assertEquals("fedavg", new DemoReport.Strategy("fedavg", 1.0, 0).label());
        assertEquals("fedavgm, server momentum 0.9", new DemoReport.Strategy("fedavgm", 1.0, 0.9).label());
    }

    @Test
    void namesEachModalitysOwnLambdaBesideTheCommonOne() throws Exception {
        assertTrue(html(ReportFixture.fiveRounds()).contains("<tr><th>λ</th><td>0.05 (omics 0.3)</td></tr>"));
        assertEquals("0.5", new DemoReport.Lambda(0.5, Map.of()).label());
        assertEquals("0.5 (eeg 0.4, omics 0.3)", new DemoReport.Lambda(0.5, Map.of("omics", 0.3, "eeg", 0.4)).label());
    }

    @Test
    void drawsOneLinePerSeriesAndOneSegmentPerTimingInParseableSvg() throws Exception {
        List<Document> charts = charts(html(ReportFixture.fiveRounds()));

        assertEquals(7, charts.size());
        assertEquals(ReportFixture.MODALITIES, seriesNames(charts.get(0)));
        assertEquals(ReportFixture.MODALITIES, seriesNames(charts.get(1)));
        assertEquals(List.of("participants", "failed", "attempts"), seriesNames(charts.get(2)));
        assertEquals(5 * 4, barSegments(charts.get(3)));
        assertTrue(charts.get(0).getElementsByTagName("title").item(0).getTextContent().contains("loss"));
    }

    @Test
    void showsRetrievalBesideChanceAndTheProbesCalibrationAndCoverage() throws Exception {
        String html = html(ReportFixture.fiveRounds());
        List<Document> charts = charts(html);

        assertEquals(List.of("imaging → eeg", "imaging → omics", "eeg → omics", "chance"), seriesNames(charts.get(4)));
        assertEquals(List.of("before scaling", "after scaling", "calibrated"), seriesNames(charts.get(5)));
        assertEquals(List.of("conformal sets", "target"), seriesNames(charts.get(6)));
        for (String number : List.of("0.035", "0.145", "0.005", "0.050", "0.142 / 0.051", "84.0% – 96.0%",
                "0.970", "0.905")) {
            assertTrue(html.contains(number), number);
        }
        assertTrue(html.contains("Out-of-distribution detection"));
        assertEquals(1, count(html, "through the anchor"));
    }

    @Test
    void leavesTheAlignmentSectionsOutWhenThePhaseDidNotComplete() throws Exception {
        String html = html(ReportFixture.withoutAlignment(ReportFixture.fiveRounds()));

        assertEquals(4, charts(html).size());
        assertFalse(html.contains("Alignment: one latent space"));
        assertFalse(html.contains("Uncertainty: how far"));
    }

    @Test
    void showsTheComparisonWithAVerdictPerGoal() throws Exception {
        String html = html(ReportFixture.fiveRounds());

        for (String number : List.of("0.812", "0.834", "0.974", "0.701", "0.412", "0.745", "0.801", "0.930", "0.752")) {
            assertTrue(html.contains("<td class=\"num\">" + number + "</td>"), number);
        }
        // imaging and omics meet both goals; eeg misses both.
        assertEquals(4, count(html, "class=\"pass\""));
        assertEquals(2, count(html, "class=\"fail\""));
        assertTrue(html.contains("karolinska: DEADLINE_EXCEEDED fit after 30 s"));
    }

    @Test
    void needsNothingFromTheNetwork() throws Exception {
        String html = html(ReportFixture.fiveRounds());

        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertFalse(html.contains("src="));
        assertEquals(count(html, "http"), count(html, "http://www.w3.org/2000/svg"));
    }

    @Test
    void escapesMarkupInEveryName() throws Exception {
        String hostile = "<b>\"x\" & 'y'</b>";
        DemoReport fixture = ReportFixture.fiveRounds();
        DemoReport report = new DemoReport(hostile, fixture.startedAt(), fixture.finishedAt(), fixture.settings(),
                fixture.protections(), List.of(new SiteSummary(hostile, List.of(hostile), Map.of(hostile, 3))),
                ReportFixture.withMetric(fixture, 2, "fit.loss." + hostile, 1.0).rounds(),
                List.of(new ModalityComparison(hostile, 0.5, 0.5, 0.5, hostile, 0.1, 10, 0.4, 5, 600)), fixture.timings(),
                fixture.alignment(), fixture.uncertainty());

        String html = html(report);

        assertFalse(html.contains(hostile));
        assertFalse(html.contains("<b>"));
        assertTrue(html.contains("&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;"));
        List<Document> charts = charts(html);
        assertEquals(hostile, seriesNames(charts.get(0)).get(0));
    }

    @Test
    void leavesGapsForNaNMetricsInsteadOfBreakingTheChart() throws Exception {
        DemoReport report = ReportFixture.withMetric(ReportFixture.fiveRounds(), 3, "fit.loss.eeg", Double.NaN);
        for (int round = 1; round <= 5; round++) {
            report = ReportFixture.withMetric(report, round, "evaluate.probe_accuracy.omics", Double.NaN);
        }

        String html = html(report);

        assertFalse(html.contains("NaN"));
        List<Document> charts = charts(html);
        Element eegLoss = series(charts.get(0)).get(1);
        assertEquals(2, count(eegLoss.getAttribute("d"), "M"), eegLoss.getAttribute("d"));
        assertEquals(2, count(eegLoss.getAttribute("d"), "L"), eegLoss.getAttribute("d"));
        Element omicsAccuracy = series(charts.get(1)).get(2);
        assertEquals("", omicsAccuracy.getAttribute("d"));
    }

    @Test
    void rendersTheSameReportToTheSameBytes() throws Exception {
        assertEquals(html(ReportFixture.fiveRounds()), html(ReportFixture.fiveRounds()));
    }

    private String html(DemoReport report) throws Exception {
        Path file = dir.resolve("report.html");
        ReportWriter.writeHtml(report, file);
        return Files.readString(file);
    }

    private static List<Document> charts(String html) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        List<Document> charts = new ArrayList<>();
        Matcher svg = SVG.matcher(html);
        while (svg.find()) {
            byte[] xml = svg.group().getBytes(StandardCharsets.UTF_8);
            charts.add(factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml)));
        }
        return charts;
    }

    private static List<Element> series(Document chart) {
        return elements(chart, "path");
    }

    private static List<String> seriesNames(Document chart) {
        return series(chart).stream().map(path -> path.getAttribute("data-series")).toList();
    }

    private static long barSegments(Document chart) {
        return elements(chart, "rect").stream().filter(rect -> rect.getAttribute("class").equals("segment")).count();
    }

    private static List<Element> elements(Document chart, String tag) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = chart.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
