package io.callosum.cli.demo;

import java.nio.file.Path;
import java.util.Optional;

/** Where the demo's coordinator listens and keeps its data. */
public record DemoSettings(int httpPort, int grpcPort, Optional<Path> databaseDir) {

    public String httpUrl() {
        return "http://localhost:" + httpPort;
    }
}
