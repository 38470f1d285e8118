package io.callosum.benchmarks.inference;

import io.callosum.benchmarks.Benchmark;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code POST /api/v1/embeddings} of a running coordinator under concurrent clients, end to end: HTTP, bearer-token
 * check, model lookup, NIfTI decode, the ensemble, shared head and reference-bank score, JSON out. The upload is a
 * generated 32³ NIfTI-1 subject; the coordinator serves its newest version. Run it against {@code ./callosum demo}
 * (which keeps its coordinator up and writes an admin token to {@code <out>/api-token}, with which an admin creates
 * the embed-scope token this benchmark needs: {@code POST /api/v1/tokens}).
 */
public final class HttpEmbeddingsLoadBenchmark implements Benchmark {
    private static final int REQUESTS = 96;
    private static final int WARM_UP = 8;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Optional<URI> coordinator;
    private final Optional<Path> tokenFile;

    public HttpEmbeddingsLoadBenchmark(Optional<URI> coordinator, Optional<Path> tokenFile) {
        this.coordinator = coordinator;
        this.tokenFile = tokenFile;
    }

    @Override
    public void run(PrintStream out) {
        if (coordinator.isEmpty() || tokenFile.isEmpty()) {
            out.println("\nembeddings-http: skipped; it needs --url of a running coordinator and --token-file holding"
                    + " a token of scope embed, e.g. ./callosum bench embeddings-http --url http://localhost:8080"
                    + " --token-file embed-token");
            return;
        }
        String token = readToken(tokenFile.get());
        URI endpoint = coordinator.get().resolve("/api/v1/embeddings");
        String boundary = "callosum-" + UUID.randomUUID();
        byte[] body = multipart(boundary, generatedImage());
        HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        out.printf(Locale.ROOT, "%nEmbeddings over HTTP at %s (this machine: %d CPU cores): a %d-byte NIfTI 32³"
                + " upload, the newest version; %d requests per level%n", endpoint,
                Runtime.getRuntime().availableProcessors(), body.length, REQUESTS);
        ConcurrentLoad.run(() -> {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("HTTP " + response.statusCode() + " from " + endpoint + ": "
                        + response.body());
            }
            return null;
        }, WARM_UP, REQUESTS, out);
    }

    private static String readToken(Path file) {
        try {
            String token = Files.readString(file).strip();
            if (token.isEmpty()) {
                throw new IllegalArgumentException("the token file " + file + " is empty");
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }

    private static Path generatedImage() {
        try {
            Path dir = Files.createTempDirectory("callosum-bench-http");
            new CohortGenerator(CohortSpec.defaults(1, 1, 11)).write(dir, n -> { });
            try (var files = Files.list(dir.resolve("site-01").resolve("imaging"))) {
                return files.findFirst().orElseThrow(() -> new IllegalStateException("the generator wrote no image"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] multipart(String boundary, Path image) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"modality\"\r\n\r\nimaging\r\n"
                    + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                    + image.getFileName() + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            body.writeBytes(Files.readAllBytes(image));
            body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
            return body.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
