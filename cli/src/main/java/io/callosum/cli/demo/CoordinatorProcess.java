package io.callosum.cli.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The coordinator as a separate JVM, as it runs in production; stopped with SIGTERM so it shuts down cleanly. */
public final class CoordinatorProcess implements AutoCloseable {
    private final Process process;
    private final DemoSettings settings;

    private CoordinatorProcess(Process process, DemoSettings settings) {
        this.process = process;
        this.settings = settings;
    }

    public static CoordinatorProcess start(Path runJar, DemoSettings settings) throws IOException {
        if (!Files.isRegularFile(runJar)) {
            throw new IOException("coordinator not built: " + runJar + " is missing (run ./callosum, which builds it)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java,
                "-Dquarkus.http.port=" + settings.httpPort(),
                "-Dquarkus.grpc.server.port=" + settings.grpcPort()));
        settings.databaseDir().ifPresent(dir -> command.add("-Dcallosum.embedded-postgres.data-dir=" + dir));
        settings.properties().forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", runJar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().put(DemoSettings.API_TOKEN_VARIABLE, settings.apiToken());
        if (settings.log().isPresent()) {
            builder.redirectErrorStream(true).redirectOutput(settings.log().get().toFile());
        }
        return new CoordinatorProcess(builder.start(), settings);
    }

    /** Polls the readiness probe until it answers 200, the process dies, or {@code timeout} passes. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(settings.httpUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant start = Instant.now();
        while (process.isAlive() && Duration.between(start, Instant.now()).compareTo(timeout) < 0) {
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYetListening) {
                // the HTTP port opens only once the database is up and migrated
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return false;
    }

    public long pid() {
        return process.pid();
    }

    public int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
