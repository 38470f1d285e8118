package io.callosum.coordinator.persistence;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.audit.AuditLog;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The coordinator on its embedded defaults: a real PostgreSQL, migrated by Flyway. */
@QuarkusTest
class SchemaTest {
    @Inject
    AgroalDataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Test
    void runsOnARealEmbeddedPostgresql() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            assertEquals("PostgreSQL", connection.getMetaData().getDatabaseProductName());
            assertEquals(14, connection.getMetaData().getDatabaseMajorVersion());
            assertTrue(connection.getMetaData().getURL().startsWith("jdbc:postgresql://localhost:"));
            try (Statement statement = connection.createStatement();
                 ResultSet setting = statement.executeQuery("SHOW synchronous_commit")) {
                setting.next();
                assertEquals("on", setting.getString(1), "commits are durable");
            }
        }
    }

    @Test
    void migrationsCreateTheRegistryAndTheAuditLog() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        assertTrue(tables.containsAll(List.of("audit_log", "federations", "model_versions", "rounds", "sites")),
                tables.toString());
    }

    @Test
    void theAuditLogCannotBeRewritten() throws SQLException {
        auditLog.record("test", "test.entry", "schema-test", Map.of("n", 1));
        long before = auditLog.count();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            SQLException update = assertThrows(SQLException.class,
                    () -> statement.executeUpdate("UPDATE audit_log SET actor = 'mallory'"));
            assertTrue(update.getMessage().contains("audit_log is append-only: UPDATE refused"), update.getMessage());
            assertThrows(SQLException.class, () -> statement.executeUpdate("DELETE FROM audit_log"));
            assertThrows(SQLException.class, () -> statement.executeUpdate("TRUNCATE audit_log"));
        }
        assertEquals(before, auditLog.count());
    }

    @Test
    void constraintsRefuseNonsenseNamingTheRule() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            SQLException badModality = assertThrows(SQLException.class, () -> statement.executeUpdate(
                    "INSERT INTO sites (name, modalities) VALUES ('site-x', ARRAY['genomics'])"));
            assertTrue(badModality.getMessage().contains("sites_modalities_check"), badModality.getMessage());
        }
    }
}
