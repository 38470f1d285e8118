package io.callosum.coordinator.persistence;

import io.quarkus.runtime.Application;
import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Supplies {@code quarkus.datasource.jdbc.url} from an {@link EmbeddedPostgresServer} when none is configured:
 * the coordinator's "embedded defaults". A configured URL (property or {@code QUARKUS_DATASOURCE_JDBC_URL})
 * always wins, and {@code callosum.embedded-postgres.enabled=false} turns this off.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {
    /** Quarkus test restarts reload this class in a fresh class loader; the JVM-wide property keeps one server. */
    private static final String STARTED_URL = "callosum.embedded-postgres.started-url";
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        ConfigValue configuredUrl = context.getValue("quarkus.datasource.jdbc.url");
        if (configuredUrl != null && configuredUrl.getValue() != null) {
            return List.of();
        }
        EmbeddedPostgresSettings settings = EmbeddedPostgresSettings.from(context);
        if (!settings.enabled()) {
            return List.of();
        }
        return List.of(new MapBackedConfigSource("callosum-embedded-postgres", Map.of(
                "quarkus.datasource.jdbc.url", startedUrl(settings),
                "quarkus.datasource.username", "postgres"), ORDINAL) {
        });
    }

    private static synchronized String startedUrl(EmbeddedPostgresSettings settings) {
        String url = System.getProperty(STARTED_URL);
        if (url == null) {
            EmbeddedPostgresServer server = EmbeddedPostgresServer.start(settings);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    awaitApplicationShutdown();
                    server.close();
                } catch (IOException e) {
                    System.err.println("Embedded PostgreSQL did not stop cleanly: " + e);
                }
            }, "embedded-postgres-shutdown"));
            url = server.jdbcUrl();
            System.setProperty(STARTED_URL, url);
        }
        return url;
    }

    /** Shutdown hooks run concurrently: the database must outlive the application's own shutdown work. */
    private static void awaitApplicationShutdown() {
        Application application = Application.currentApplication();
        if (application != null) {
            application.awaitShutdown();
        }
    }
}
