package io.callosum.cli.demo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** Runs Callosum on this machine with embedded defaults: today the coordinator on an embedded PostgreSQL. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run Callosum on this machine with embedded defaults, until Ctrl-C.")
public class DemoCommand implements Callable<Integer> {
    static final String HOME_PROPERTY = "callosum.home";

    @Option(names = "--http-port", defaultValue = "8080", description = "API, health and metrics port (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--grpc-port", defaultValue = "9092", description = "Flower gRPC port (default ${DEFAULT-VALUE})")
    int grpcPort;

    @Option(names = "--database-dir", paramLabel = "DIR",
            description = "embedded PostgreSQL data directory (default ~/.callosum/postgres)")
    Path databaseDir;

    @Option(names = "--startup-timeout", defaultValue = "PT2M",
            description = "how long to wait for the coordinator to become ready (default ${DEFAULT-VALUE})")
    Duration startupTimeout;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        DemoSettings settings = new DemoSettings(httpPort, grpcPort, Optional.ofNullable(databaseDir));
        Path home = Path.of(System.getProperty(HOME_PROPERTY, "."));
        Path runJar = home.resolve("coordinator/target/quarkus-app/quarkus-run.jar");

        out.println("Starting the coordinator (embedded PostgreSQL, Flower listener, API)...");
        out.flush();
        try (CoordinatorProcess coordinator = CoordinatorProcess.start(runJar, settings)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    coordinator.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-coordinator"));
            if (!coordinator.awaitReady(startupTimeout)) {
                spec.commandLine().getErr().printf("The coordinator did not become ready within %s; see its log above.%n",
                        startupTimeout);
                return 1;
            }
            out.print(Endpoints.describe(settings, coordinator.pid()));
            out.flush();
            return coordinator.waitFor();
        }
    }
}
