package io.callosum.coordinator.persistence;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Given the standard quarkus.datasource.* properties, the coordinator uses that server and starts none of its own. */
@QuarkusTest
@WithTestResource(ExternalPostgresResource.class)
class ExternalDatabaseTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void migratesAndUsesTheConfiguredServer() throws SQLException {
        int externalPort = ConfigProvider.getConfig().getValue(ExternalPostgresResource.PORT_PROPERTY, Integer.class);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement()) {
            assertTrue(connection.getMetaData().getURL().contains(":" + externalPort + "/"),
                    connection.getMetaData().getURL());
            try (ResultSet port = statement.executeQuery("SELECT current_setting('port')")) {
                port.next();
                assertEquals(externalPort, port.getInt(1));
            }
            try (ResultSet started = statement.executeQuery(
                    "SELECT count(*) FROM audit_log WHERE action = 'coordinator.started'")) {
                started.next();
                assertEquals(1, started.getLong(1), "a fresh external database sees exactly this start");
            }
        }
    }
}
