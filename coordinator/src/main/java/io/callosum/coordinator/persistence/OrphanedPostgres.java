package io.callosum.coordinator.persistence;

import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The PostgreSQL server a killed coordinator left behind. The server runs as a process of its own, so when the
 * coordinator's JVM dies without shutting down (SIGKILL, OOM killer) it keeps running and holds the data
 * directory, and the next coordinator on that directory cannot start. A data directory belongs to one
 * coordinator, so a live postgres named in its {@code postmaster.pid} can only be that orphan: it is stopped.
 * A pid file whose process is gone is left alone; postgres recognises a stale pid file itself.
 */
final class OrphanedPostgres {
    private static final Logger LOG = Logger.getLogger(OrphanedPostgres.class);
    /**
     * SIGTERM is postgres' smart shutdown, which waits for clients; with its coordinator dead it has none, and
     * stopping takes a second or two plus the final checkpoint.
     */
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(20);
    private static final Duration FORCED_STOP = Duration.ofSeconds(5);

    private OrphanedPostgres() {
    }

    /** Stops the postgres that {@code dataDir/postmaster.pid} names, if one is still running. */
    static void stopIfRunning(Path dataDir) {
        Optional<ProcessHandle> orphan = postmasterPid(dataDir).flatMap(ProcessHandle::of)
                .filter(ProcessHandle::isAlive).filter(OrphanedPostgres::isPostgres);
        orphan.ifPresent(process -> stop(process, dataDir));
    }

    private static Optional<Long> postmasterPid(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (NumberFormatException e) {
            // A pid file cut short by a crash names nobody; postgres copes with it as with any stale one.
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pidFile, e);
        }
    }

    /** A reused pid may now belong to anything; only a postgres process is taken for the orphan. */
    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> command.contains("postgres")).orElse(false);
    }

    private static void stop(ProcessHandle process, Path dataDir) {
        LOG.warnf("PostgreSQL (pid %d) still holds %s: a coordinator on this data directory was killed without"
                + " stopping it; stopping it before starting a new one", process.pid(), dataDir);
        process.destroy();
        if (awaitExit(process, GRACEFUL_STOP)) {
            return;
        }
        LOG.warnf("PostgreSQL (pid %d) did not stop within %d s; killing it", process.pid(),
                GRACEFUL_STOP.toSeconds());
        process.destroyForcibly();
        if (!awaitExit(process, FORCED_STOP)) {
            throw new IllegalStateException("PostgreSQL (pid " + process.pid() + ") holding " + dataDir
                    + " could not be stopped");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for PostgreSQL (pid " + process.pid() + ") failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping PostgreSQL (pid " + process.pid() + ")", e);
        }
    }
}
