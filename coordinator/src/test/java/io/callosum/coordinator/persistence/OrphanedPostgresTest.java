package io.callosum.coordinator.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A coordinator starts on a data directory whatever a killed predecessor left in it. */
class OrphanedPostgresTest {

    @Test
    void stopsThePostgresAKilledJvmLeftRunningAndKeepsItsRows(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        Process killed = new ProcessBuilder(javaCommand(), "-cp", System.getProperty("java.class.path"),
                KilledCoordinator.class.getName(), data.toString()).redirectErrorStream(true).start();
        try {
            awaitLine(killed, "written");
        } finally {
            killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long orphan = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        assertTrue(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false),
                "SIGKILL leaves the JVM's postgres running");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings(data))) {
            assertFalse(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false), "the orphan is stopped");
            assertEquals("written before the kill", note(server));
        } finally {
            // Should the start fail, the orphan would outlive the test and its deleted data directory.
            ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroy);
        }
    }

    @Test
    void startsOverAPidFileWhoseProcessIsGone(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("pg");
        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(settings(data))) {
            KilledCoordinator.write(first);
        }
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(data.resolve("postmaster.pid"), gone.pid() + "\n" + data + "\n");

        try (EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings(data))) {
            assertEquals("written before the kill", note(server));
        }
    }

    private static EmbeddedPostgresSettings settings(Path data) {
        return new EmbeddedPostgresSettings(true, Optional.of(data), OptionalInt.empty());
    }

    private static String note(EmbeddedPostgresServer server) throws Exception {
        try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT note FROM kept")) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }

    private static String javaCommand() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void awaitLine(Process process, String expected) throws Exception {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        List<String> seen = new ArrayList<>();
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            if (line.equals(expected)) {
                return;
            }
            seen.add(line);
        }
        throw new AssertionError("the child JVM ended without '" + expected + "': " + seen);
    }

    /** A coordinator's JVM in miniature: starts the server, writes a row, then waits to be killed. */
    static final class KilledCoordinator {
        public static void main(String[] args) throws Exception {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings(Path.of(args[0])));
            write(server);
            System.out.println("written");
            Thread.sleep(TimeUnit.MINUTES.toMillis(2));
        }

        static void write(EmbeddedPostgresServer server) throws Exception {
            try (Connection connection = DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
                 Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (note TEXT)");
                statement.execute("INSERT INTO kept VALUES ('written before the kill')");
            }
        }
    }
}
