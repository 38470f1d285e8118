package io.callosum.cli.demo.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a {@link DemoReport} as JSON (for tools) and as one self-contained HTML page (for people). */
public final class ReportWriter {
    // Sorted map keys keep two reports of the same run diffable line by line.
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private ReportWriter() {
    }

    public static void writeJson(DemoReport report, Path file) throws IOException {
        JSON.writeValue(file.toFile(), report);
    }

    public static DemoReport readJson(Path file) throws IOException {
        return JSON.readValue(file.toFile(), DemoReport.class);
    }

    public static void writeHtml(DemoReport report, Path file) throws IOException {
        Files.writeString(file, ReportPage.render(report), StandardCharsets.UTF_8);
    }
}
