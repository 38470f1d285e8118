package io.callosum.cli.demo;

import io.callosum.cli.CallosumCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A site agent as its own JVM, as a hospital runs it. On a shared machine each is held to one compute thread so
 * that three sites and the coordinator do not fight over the cores.
 */
public final class SiteProcess implements AutoCloseable {
    private final String site;
    private final Process process;

    private SiteProcess(String site, Process process) {
        this.site = site;
        this.process = process;
    }

    /**
     * A site agent dialling the coordinator's mTLS listener with its files in the consortium directory, keeping its
     * privacy ledger in {@code state}.
     */
    public static SiteProcess start(String site, Path data, int grpcPort, Path consortium, Path state, Path log)
            throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx2g", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                CallosumCommand.class.getName(), "site", "--coordinator", "localhost:" + grpcPort, "--site", site,
                "--data", data.toString(), "--tls-dir", consortium.toString(), "--state-dir", state.toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        return new SiteProcess(site, builder.start());
    }

    public String site() {
        return site;
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
