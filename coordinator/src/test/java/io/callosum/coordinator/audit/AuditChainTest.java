package io.callosum.coordinator.audit;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The audit log's hash chain holds over real entries and shows where someone rewrote one. */
@QuarkusTest
class AuditChainTest {
    @Inject
    AuditLog audit;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void eachEntryChainsToThePreviousOneAndTheChainVerifies() {
        long first = audit.record("tester", "test.chained", "chain", Map.of("n", 1, "text", "naïve ✓"));
        long second = audit.record("tester", "test.chained", "chain", Map.of("n", 2));
        assertTrue(second > first);
        ChainVerification verified = audit.verify();
        assertTrue(verified.intact(), verified.problem());
        assertEquals(audit.latest(1, null).get(0).hash(), verified.headHash());
        assertNotEquals(audit.latest(2, "chain").get(0).hash(), audit.latest(2, "chain").get(1).hash());
    }

    @Test
    void aRewrittenEntryBreaksTheChainAtThatEntry() throws SQLException {
        long id = audit.record("tester", "test.tampered", "tamper", Map.of("amount", 10));
        audit.record("tester", "test.after", "tamper", Map.of());
        assertThrows(SQLException.class, () -> rewrite(id, "{\"amount\": 1000}", false),
                "the append-only trigger must refuse an update");
        try {
            rewrite(id, "{\"amount\": 1000}", true);
            ChainVerification broken = audit.verify();
            assertFalse(broken.intact());
            assertEquals(id, broken.brokenAt().orElseThrow());
        } finally {
            rewrite(id, "{\"amount\": 10}", true);
        }
        assertTrue(audit.verify().intact(), audit.verify().problem());
    }

    /** What an attacker with the database owner's rights could do: the trigger off, an entry changed. */
    private void rewrite(long id, String detail, boolean pastTheTrigger) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement();
                 PreparedStatement update = connection.prepareStatement(
                         "UPDATE audit_log SET detail = ?::jsonb WHERE id = ?")) {
                if (pastTheTrigger) {
                    statement.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_rewrite");
                }
                update.setString(1, detail);
                update.setLong(2, id);
                update.executeUpdate();
                if (pastTheTrigger) {
                    statement.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_rewrite");
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }
}
