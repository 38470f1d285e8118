package io.callosum.coordinator.access;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.audit.AuditLog;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code api_tokens} table: admins create and revoke bearer tokens (both audited), and every API call is
 * matched by the SHA-256 of the token it presents.
 */
@ApplicationScoped
public class ApiTokens {
    static final String TOKEN_PREFIX = "cls_";
    private static final int SHOWN_PREFIX = TOKEN_PREFIX.length() + 6;
    private static final String COLUMNS = "id, name, prefix, scopes, created_by, created_at, last_used_at, revoked_at,"
            + " revoked_by";

    private final AgroalDataSource dataSource;
    private final AuditLog audit;

    public ApiTokens(AgroalDataSource dataSource, AuditLog audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    public IssuedToken create(String name, Set<Scope> scopes, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new IllegalArgumentException("token name must be 1 to 100 characters, got "
                    + (name == null ? "none" : name.length()));
        }
        if (scopes == null || scopes.isEmpty()) {
            throw new IllegalArgumentException("a token needs at least one scope of embed, predict and admin");
        }
        String secret = Secrets.generate(TOKEN_PREFIX);
        String sql = "INSERT INTO api_tokens (name, token_hash, prefix, scopes, created_by) VALUES (?, ?, ?, ?, ?)"
                + " RETURNING " + COLUMNS;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, name.strip());
            insert.setString(2, Secrets.sha256(secret));
            insert.setString(3, secret.substring(0, SHOWN_PREFIX));
            insert.setArray(4, connection.createArrayOf("text", scopes.stream().map(Scope::tag).sorted().toArray()));
            insert.setString(5, createdBy);
            ApiToken token;
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                token = token(row);
            }
            audit.record(createdBy, "token.created", "token-" + token.id(), Map.of("name", token.name(),
                    "prefix", token.prefix(), "scopes", scopes.stream().map(Scope::tag).sorted().toList()));
            return new IssuedToken(token, secret);
        } catch (SQLException e) {
            throw new IllegalStateException("token '" + name + "' could not be created", e);
        }
    }

    /** Revokes a token for good; false if there is no such token or it was already revoked. */
    public boolean revoke(long id, String revokedBy) {
        String sql = "UPDATE api_tokens SET revoked_at = now(), revoked_by = ? WHERE id = ? AND revoked_at IS NULL"
                + " RETURNING name";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, revokedBy);
            update.setLong(2, id);
            try (ResultSet row = update.executeQuery()) {
                if (!row.next()) {
                    return false;
                }
                audit.record(revokedBy, "token.revoked", "token-" + id, Map.of("name", row.getString(1)));
                return true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("token " + id + " could not be revoked", e);
        }
    }

    public List<ApiToken> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            List<ApiToken> tokens = new ArrayList<>();
            while (rows.next()) {
                tokens.add(token(rows));
            }
            return tokens;
        } catch (SQLException e) {
            throw new IllegalStateException("tokens could not be listed", e);
        }
    }

    public Optional<ApiToken> byId(long id) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?")) {
            query.setLong(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(token(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("token " + id + " could not be read", e);
        }
    }

    /** The token whose secret this is, revoked or not; marks it used. */
    public Optional<ApiToken> bySecret(String secret) {
        String sql = "UPDATE api_tokens SET last_used_at = now() WHERE token_hash = ? RETURNING " + COLUMNS;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, Secrets.sha256(secret));
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(token(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("token could not be looked up", e);
        }
    }

    private static ApiToken token(ResultSet row) throws SQLException {
        Array scopes = row.getArray(4);
        Set<Scope> parsed = EnumSet.noneOf(Scope.class);
        Arrays.stream((String[]) scopes.getArray()).map(Scope::of).forEach(parsed::add);
        return new ApiToken(row.getLong(1), row.getString(2), row.getString(3), parsed, row.getString(5),
                row.getObject(6, OffsetDateTime.class), Optional.ofNullable(row.getObject(7, OffsetDateTime.class)),
                Optional.ofNullable(row.getObject(8, OffsetDateTime.class)), Optional.ofNullable(row.getString(9)));
    }
}
