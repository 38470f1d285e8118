package io.callosum.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * Where the demo's coordinator listens and keeps its data, the coordinator settings ({@code callosum.*}) it is
 * started with, such as the federation it runs, and the bootstrap token the demo calls its API with.
 */
public record DemoSettings(int httpPort, int grpcPort, Optional<Path> databaseDir, Map<String, String> properties,
                           Optional<Path> log, String apiToken) {
    /** The environment variable that hands the coordinator its bootstrap token (not the command line, which ps shows). */
    public static final String API_TOKEN_VARIABLE = "CALLOSUM_API_BOOTSTRAP_TOKEN";

    /** A fresh bootstrap token for one demo run: 256 random bits, so it outlives nothing but that run. */
    public static String newApiToken() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return "demo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /**
     * Writes the bootstrap token to {@code file}, readable by its owner only, so that the operator (curl, the HTTP
     * benchmark) can call the API of the coordinator the demo leaves running; it dies with this run.
     */
    public Path writeApiToken(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, apiToken + "\n");
        return file;
    }

    public String httpUrl() {
        return "http://localhost:" + httpPort;
    }
}
