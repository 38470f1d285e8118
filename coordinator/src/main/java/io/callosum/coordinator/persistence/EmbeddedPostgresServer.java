package io.callosum.coordinator.persistence;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL server started from the binaries shipped on the classpath, so the coordinator runs
 * with no database installed. With a data directory its rows survive restarts; without one it is
 * throw-away. It stops with the JVM; one that a killed JVM left running on the data directory is stopped
 * before a new one starts ({@link OrphanedPostgres}).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedPostgresServer.class);
    private static final String DATABASE = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static EmbeddedPostgresServer start(EmbeddedPostgresSettings settings) {
        // Whoever starts the server stops it: zonky's own hook would stop it while Quarkus still shuts down.
        // zonky turns synchronous_commit off for speed; a registry and audit log must not lose commits.
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setRegisterShutdownHook(false)
                .setServerConfig("synchronous_commit", "on");
        settings.dataDir().ifPresent(dir -> {
            createDirectories(dir);
            OrphanedPostgres.stopIfRunning(dir);
            builder.setDataDirectory(dir).setCleanDataDirectory(false);
        });
        settings.port().ifPresent(builder::setPort);
        try {
            EmbeddedPostgresServer server = new EmbeddedPostgresServer(builder.start());
            LOG.infof("Embedded PostgreSQL started on port %d with data in %s", server.port(),
                    settings.dataDir().map(Path::toString).orElse("a temporary directory"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("Embedded PostgreSQL failed to start"
                    + settings.dataDir().map(d -> " with data directory " + d
                            + " (is another coordinator using it? see its postmaster.pid)").orElse(""), e);
        }
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", DATABASE);
    }

    public String username() {
        return "postgres";
    }

    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }

    private static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the parent of the embedded PostgreSQL data directory "
                    + dir, e);
        }
    }
}
