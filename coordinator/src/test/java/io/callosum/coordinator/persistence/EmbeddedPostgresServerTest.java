package io.callosum.coordinator.persistence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedPostgresServerTest {

    @Test
    void rowsSurviveARestartOnTheSameDataDirectory(@TempDir Path dir) throws Exception {
        EmbeddedPostgresSettings settings = new EmbeddedPostgresSettings(true, Optional.of(dir.resolve("pg")),
                OptionalInt.empty());

        try (EmbeddedPostgresServer first = EmbeddedPostgresServer.start(settings)) {
            execute(first, "CREATE TABLE kept (note TEXT)", "INSERT INTO kept VALUES ('written before restart')");
        }
        try (EmbeddedPostgresServer second = EmbeddedPostgresServer.start(settings);
             Connection connection = connect(second);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT note FROM kept")) {
            assertTrue(rows.next());
            assertEquals("written before restart", rows.getString(1));
        }
    }

    private static void execute(EmbeddedPostgresServer server, String... sql) throws SQLException {
        try (Connection connection = connect(server); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private static Connection connect(EmbeddedPostgresServer server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), "");
    }
}
