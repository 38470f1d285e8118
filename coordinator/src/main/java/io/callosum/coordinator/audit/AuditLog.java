package io.callosum.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The append-only record of everything that happens in the federation; the table refuses updates and deletes, and
 * every entry is chained to the one before it by SHA-256 (see {@link #verify()}).
 */
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
        String sql = "SELECT audit_log_append(?, ?, ?, ?::jsonb)";
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
        String sql = "SELECT id, at, actor, action, subject, detail::text, hash FROM audit_log"
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
                            rows.getString(3), rows.getString(4), rows.getString(5), json.readTree(rows.getString(6)),
                            rows.getString(7)));
                }
            }
            return entries;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("audit log could not be read", e);
        }
    }

    /**
     * Walks the whole chain in id order: each entry must name its predecessor's hash, and its own hash must be the
     * SHA-256, computed here rather than by the database, of its fields as stored.
     */
    public ChainVerification verify() {
        String sql = "SELECT id, prev_hash, hash, audit_log_canonical(prev_hash, at, actor, action, subject, detail)"
                + " FROM audit_log ORDER BY id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            long checked = 0;
            String previous = null;
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    String claimedPrevious = rows.getString(2);
                    String hash = rows.getString(3);
                    if (!Objects.equals(previous, claimedPrevious)) {
                        return ChainVerification.broken(checked, id, "entry " + id + " names " + claimedPrevious
                                + " as its predecessor's hash, but the entry before it hashes to " + previous);
                    }
                    String recomputed = sha256(rows.getString(4));
                    if (!recomputed.equals(hash)) {
                        return ChainVerification.broken(checked, id, "entry " + id + " was changed after it was"
                                + " written: its fields hash to " + recomputed + ", it records " + hash);
                    }
                    previous = hash;
                    checked++;
                }
            }
            return ChainVerification.intact(checked, previous);
        } catch (SQLException e) {
            throw new IllegalStateException("audit chain could not be read", e);
        }
    }

    private static String sha256(String canonical) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
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
