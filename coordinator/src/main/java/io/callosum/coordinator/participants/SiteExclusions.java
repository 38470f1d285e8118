package io.callosum.coordinator.participants;

import io.agroal.api.AgroalDataSource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code site_exclusions} table: sites an operator took out of the rounds. Read on every participant sampling,
 * so the rows are mirrored in memory, loaded once and updated with each change (one coordinator owns the table).
 */
@ApplicationScoped
public class SiteExclusions {
    private static final int MAX_REASON = 500;

    private final AgroalDataSource dataSource;
    private final Map<String, Exclusion> current = new ConcurrentHashMap<>();

    public SiteExclusions(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A site out of the rounds: why, by whom and since when. */
    public record Exclusion(String site, String reason, String excludedBy, OffsetDateTime excludedAt) {
    }

    public Optional<Exclusion> of(String site) {
        return Optional.ofNullable(current.get(site));
    }

    public boolean excluded(String site) {
        return current.containsKey(site);
    }

    /** Excludes a site; empty if it was excluded already (the earlier exclusion stands). */
    public Optional<Exclusion> exclude(String site, String reason, String actor) {
        if (site == null || !ParticipantRegistry.SITE_NAME.matcher(site).matches()) {
            throw new IllegalArgumentException("site name '" + site + "' must be 1-63 lower-case letters, digits and"
                    + " dashes");
        }
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw new IllegalArgumentException("an exclusion needs a reason of 1 to " + MAX_REASON + " characters");
        }
        String sql = "INSERT INTO site_exclusions (site, reason, excluded_by) VALUES (?, ?, ?)"
                + " ON CONFLICT (site) DO NOTHING RETURNING excluded_at";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, site);
            insert.setString(2, why);
            insert.setString(3, actor);
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Exclusion exclusion = new Exclusion(site, why, actor, row.getObject(1, OffsetDateTime.class));
                current.put(site, exclusion);
                return Optional.of(exclusion);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("site " + site + " could not be excluded", e);
        }
    }

    /** Lets a site take part in rounds again; the exclusion it lifted, or empty if there was none. */
    public Optional<Exclusion> include(String site) {
        String sql = "DELETE FROM site_exclusions WHERE site = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, site);
            delete.executeUpdate();
            return Optional.ofNullable(current.remove(site));
        } catch (SQLException e) {
            throw new IllegalStateException("site " + site + " could not be re-included", e);
        }
    }

    @PostConstruct
    void load() {
        String sql = "SELECT site, reason, excluded_by, excluded_at FROM site_exclusions";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                current.put(rows.getString(1), new Exclusion(rows.getString(1), rows.getString(2),
                        rows.getString(3), rows.getObject(4, OffsetDateTime.class)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("site exclusions could not be read", e);
        }
    }
}
