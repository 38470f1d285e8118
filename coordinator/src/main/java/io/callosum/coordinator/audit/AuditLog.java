package io.callosum.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The append-only record of everything that happens in the federation; the table refuses updates and deletes. */
@ApplicationScoped
public class AuditLog {
    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public AuditLog(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** Records an event; {@code action} is dotted lower case, e.g. {@code participant.joined}. */
    public long record(String actor, String action, String subject, Map<String, ?> detail) {
        String sql = "INSERT INTO audit_log (actor, action, subject, detail) VALUES (?, ?, ?, ?::jsonb) RETURNING id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, actor);
            insert.setString(2, action);
            insert.setString(3, subject);
            insert.setString(4, json.writeValueAsString(detail));
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("audit entry " + action + " for " + subject + " could not be written", e);
        }
    }

    /** The newest entries first, optionally only those about one subject. */
    public List<AuditEntry> latest(int limit, String subject) {
        String sql = "SELECT id, at, actor, action, subject, detail::text FROM audit_log"
                + (subject == null ? "" : " WHERE subject = ?") + " ORDER BY id DESC LIMIT ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            int parameter = 1;
            if (subject != null) {
                query.setString(parameter++, subject);
            }
            query.setInt(parameter, limit);
            List<AuditEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(rows.getLong(1), rows.getObject(2, OffsetDateTime.class),
                            rows.getString(3), rows.getString(4), rows.getString(5), json.readTree(rows.getString(6))));
                }
            }
            return entries;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("audit log could not be read", e);
        }
    }

    public long count() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM audit_log");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("audit log could not be counted", e);
        }
    }
}
