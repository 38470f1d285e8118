package io.callosum.cli.demo.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportJsonTest {
    @TempDir
    Path dir;

    @Test
    void readsBackTheReportItWrote() throws Exception {
        DemoReport report = ReportFixture.fiveRounds();
        Path file = dir.resolve("report.json");

        ReportWriter.writeJson(report, file);

        assertEquals(report, ReportWriter.readJson(file));
    }

    @Test
    void writesInstantsAsIsoStringsAndTheGoalsAlongsideTheAccuracies() throws Exception {
        Path file = dir.resolve("report.json");
        ReportWriter.writeJson(ReportFixture.fiveRounds(), file);

        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals("2025-05-14T09:00:00.123Z", json.get("startedAt").asText());
        JsonNode eeg = json.get("comparison").get(1);
        assertEquals("eeg", eeg.get("modality").asText());
        assertEquals(0.745 / 0.801, eeg.get("federatedOverCentralized").asDouble(), 1e-12);
        assertTrue(eeg.get("meetsCentralizedGoal").isBoolean());
        assertEquals(false, eeg.get("meetsCentralizedGoal").asBoolean());
        assertEquals(false, eeg.get("meetsLocalGoal").asBoolean());
        JsonNode imaging = json.get("comparison").get(0);
        assertEquals(true, imaging.get("meetsCentralizedGoal").asBoolean());
        assertEquals(true, imaging.get("meetsLocalGoal").asBoolean());
    }

    @Test
    void keepsNaNMetricsThroughTheRoundTrip() throws Exception {
        DemoReport report = ReportFixture.withMetric(ReportFixture.fiveRounds(), 3, "fit.loss.eeg", Double.NaN);
        Path file = dir.resolve("report.json");

        ReportWriter.writeJson(report, file);

        assertEquals(report, ReportWriter.readJson(file));
        assertTrue(Files.readString(file).contains("\"fit.loss.eeg\" : \"NaN\""), Files.readString(file));
    }
}
