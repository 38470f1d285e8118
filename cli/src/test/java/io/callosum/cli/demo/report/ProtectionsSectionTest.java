package io.callosum.cli.demo.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

class ProtectionsSectionTest {
    @TempDir
    Path dir;

    @Test
    void saysWhichPhasesWereSecurelyAggregated() throws Exception {
        DemoReport aligned = ReportFixture.fiveRounds();

        assertTrue(html(aligned).contains("SecAgg+ on pretraining and alignment rounds, threshold 2"));
        assertTrue(html(ReportFixture.withoutAlignment(aligned)).contains("SecAgg+ on pretraining rounds, threshold 2"));
    }

    private String html(DemoReport report) throws Exception {
        Path file = dir.resolve("report.html");
        ReportWriter.writeHtml(report, file);
        return Files.readString(file);
    }
}
