package io.callosum.coordinator.persistence;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** A second, throw-away PostgreSQL standing in for a hospital's or consortium's own database server. */
public class ExternalPostgresResource implements QuarkusTestResourceLifecycleManager {
    static final String PORT_PROPERTY = "callosum.test.external-postgres.port";

    private EmbeddedPostgresServer server;

    @Override
    public Map<String, String> start() {
        server = EmbeddedPostgresServer.start(new EmbeddedPostgresSettings(true, Optional.empty(), OptionalInt.empty()));
        return Map.of(
                "quarkus.datasource.jdbc.url", server.jdbcUrl(),
                "quarkus.datasource.username", server.username(),
                PORT_PROPERTY, Integer.toString(server.port()));
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
