package io.callosum.coordinator.persistence;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigValue;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code callosum.embedded-postgres.*}: whether to start PostgreSQL in-process when no database URL is
 * configured, where its data persists, and on which port. Read from the raw configuration because the
 * database URL must be decided before Quarkus builds its typed configuration.
 */
public record EmbeddedPostgresSettings(boolean enabled, Optional<Path> dataDir, OptionalInt port) {
    static final String PREFIX = "callosum.embedded-postgres.";

    static EmbeddedPostgresSettings from(ConfigSourceContext context) {
        String enabled = value(context, "enabled");
        String dataDir = value(context, "data-dir");
        String port = value(context, "port");
        try {
            return new EmbeddedPostgresSettings(
                    enabled == null || Boolean.parseBoolean(enabled),
                    Optional.ofNullable(dataDir).filter(d -> !d.isBlank()).map(Path::of),
                    port == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(port)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + "port must be a port number, got '" + port + "'");
        }
    }

    private static String value(ConfigSourceContext context, String key) {
        ConfigValue value = context.getValue(PREFIX + key);
        return value == null ? null : value.getValue();
    }
}
