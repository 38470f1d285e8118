package io.callosum.cli.demo;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the demo's coordinator listens and keeps its data, and the coordinator settings ({@code callosum.*}) it is
 * started with, such as the federation it runs.
 */
public record DemoSettings(int httpPort, int grpcPort, Optional<Path> databaseDir, Map<String, String> properties,
                           Optional<Path> log) {

    public String httpUrl() {
        return "http://localhost:" + httpPort;
    }
}
