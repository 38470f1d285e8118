package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ServerSocket;
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
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The packaged coordinator ({@code quarkus-run.jar}) as an operating-system process, and its HTTP API, called with
 * a bootstrap token made for the process and handed over in its environment, as the demo does.
 */
final class CoordinatorProcess {
    private static final Path JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final int httpPort;
    private final Path log;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private CoordinatorProcess(Process process, int httpPort, Path log, String token) {
        this.process = process;
        this.httpPort = httpPort;
        this.log = log;
        this.token = token;
    }

    /** Starts the coordinator with these system properties and waits until its HTTP API answers. */
    static CoordinatorProcess start(Map<String, String> properties, int httpPort, Path log) throws Exception {
        return start(List.of(), properties, httpPort, log);
    }

    /** As {@link #start(Map, int, Path)}, with JVM options (a heap size, say) before the system properties. */
    static CoordinatorProcess start(List<String> jvmOptions, Map<String, String> properties, int httpPort, Path log)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-jar");
        command.add(JAR.toString());
        String token = "it-" + UUID.randomUUID() + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("CALLOSUM_API_BOOTSTRAP_TOKEN", token);
        CoordinatorProcess coordinator = new CoordinatorProcess(builder.start(), httpPort, log, token);
        coordinator.awaitApi(Duration.ofSeconds(60));
        return coordinator;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /**
     * The most memory the process has held resident so far (Linux's {@code VmHWM}), in bytes; empty where
     * {@code /proc} does not tell.
     */
    OptionalLong peakResidentBytes() throws IOException {
        Path status = Path.of("/proc", String.valueOf(pid()), "status");
        if (!Files.isReadable(status)) {
            return OptionalLong.empty();
        }
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("VmHWM:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")) * 1024).findFirst();
    }

    /** SIGKILL: nothing of the coordinator's own shutdown runs. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** SIGTERM: the coordinator shuts down as an operator would stop it. */
    void stop() throws InterruptedException {
        process.destroy();
        awaitExit(Duration.ofSeconds(30));
    }

    private void awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("coordinator " + pid() + " did not exit within " + timeout + "; see " + log);
        }
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Polls {@code path} until its answer satisfies {@code done}; the answer that did. */
    JsonNode await(String path, Predicate<JsonNode> done, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            assertAlive();
            try {
                last = get(path);
                if (done.test(last)) {
                    return last;
                }
            } catch (IOException e) {
                // Not there yet: the federation is created once enough sites joined.
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + path + " never got there within " + timeout + "; last " + last
                + "; see " + log);
    }

    private void awaitApi(Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            assertAlive();
            try {
                get("/q/health/ready");
                return;
            } catch (IOException e) {
                // Still starting: embedded PostgreSQL, migrations, then the HTTP server.
                Thread.sleep(200);
            }
        }
        throw new AssertionError("coordinator did not answer within " + timeout + "; see " + log);
    }

    private void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError("coordinator exited with " + process.exitValue() + "; see " + log);
        }
    }
}
