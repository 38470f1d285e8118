package io.callosum.coordinator.access;

import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.audit.AuditLog;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The {@code console_users} table. On first start (no user at all) it creates {@code admin} with the configured
 * password, or with a generated one that is logged once and never stored in clear.
 */
@ApplicationScoped
public class ConsoleUsers {
    static final String FIRST_ADMIN = "admin";
    private static final Logger LOG = Logger.getLogger(ConsoleUsers.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final int MIN_PASSWORD = 12;

    private final AgroalDataSource dataSource;
    private final AuditLog audit;
    private final ConsoleSettings settings;
    private final PasswordHasher hasher;
    /** Verified against when the user is unknown, so that a login takes as long whether or not the name exists. */
    private final String decoy;

    public ConsoleUsers(AgroalDataSource dataSource, AuditLog audit, ConsoleSettings settings) {
        this.dataSource = dataSource;
        this.audit = audit;
        this.settings = settings;
        this.hasher = new PasswordHasher(settings.passwordIterations());
        this.decoy = hasher.hash(Secrets.generate("").toCharArray());
    }

    void onStart(@Observes StartupEvent event) {
        if (count() > 0) {
            return;
        }
        Optional<String> configured = settings.adminPassword();
        String password = configured.orElseGet(() -> Secrets.generate(""));
        create(FIRST_ADMIN, password, Role.ADMIN, "coordinator");
        if (configured.isPresent()) {
            LOG.infof("Console user '%s' created with the password from callosum.console.admin-password", FIRST_ADMIN);
        } else {
            LOG.warnf("Console user '%s' created with the generated password %s (shown this once; set"
                    + " callosum.console.admin-password to choose it)", FIRST_ADMIN, password);
        }
    }

    public ConsoleUser create(String name, String password, Role role, String createdBy) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("user name '" + name + "' must be 1-63 lower-case letters, digits,"
                    + " dots, dashes or underscores");
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("password must have at least " + MIN_PASSWORD + " characters");
        }
        String sql = "INSERT INTO console_users (name, password_hash, role, created_by) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (name) DO NOTHING";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, name);
            insert.setString(2, hasher.hash(password.toCharArray()));
            insert.setString(3, role.tag());
            insert.setString(4, createdBy);
            if (insert.executeUpdate() == 0) {
                throw new IllegalArgumentException("user '" + name + "' exists already");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user '" + name + "' could not be created", e);
        }
        audit.record(createdBy, "console.user_created", "user-" + name, Map.of("role", role.tag()));
        return new ConsoleUser(name, role);
    }

    /** The user if the password is theirs; every attempt lands in the audit log. */
    public Optional<ConsoleUser> authenticate(String name, String password) {
        Optional<StoredUser> stored = find(name == null ? "" : name);
        char[] attempt = password == null ? new char[0] : password.toCharArray();
        boolean matches = hasher.matches(attempt, stored.map(StoredUser::hash).orElse(decoy)) && stored.isPresent();
        String subject = "user-" + (stored.isPresent() ? name : "unknown");
        if (!matches) {
            audit.record(String.valueOf(name), "console.login_failed", subject, Map.of());
            return Optional.empty();
        }
        audit.record(name, "console.login", subject, Map.of("role", stored.get().role().tag()));
        return Optional.of(new ConsoleUser(name, stored.get().role()));
    }

    public List<ConsoleUser> all() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT name, role FROM console_users ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            List<ConsoleUser> users = new ArrayList<>();
            while (rows.next()) {
                users.add(new ConsoleUser(rows.getString(1), Role.of(rows.getString(2))));
            }
            return users;
        } catch (SQLException e) {
            throw new IllegalStateException("console users could not be listed", e);
        }
    }

    private long count() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM console_users");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("console users could not be counted", e);
        }
    }

    private Optional<StoredUser> find(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT password_hash, role FROM console_users WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(new StoredUser(row.getString(1), Role.of(row.getString(2))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("user '" + name + "' could not be read", e);
        }
    }

    private record StoredUser(String hash, Role role) {
    }
}
