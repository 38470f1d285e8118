package io.callosum.coordinator.participants;

import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** The {@code sites} table: every site agent that identified itself, its modalities and when it was last seen. */
@ApplicationScoped
public class SiteDirectory {
    private final AgroalDataSource dataSource;

    public SiteDirectory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A site as the directory knows it. */
    public record KnownSite(String name, List<String> modalities, String status, OffsetDateTime lastSeenAt) {
    }

    public List<KnownSite> all() {
        String sql = "SELECT name, modalities, status, last_seen_at FROM sites ORDER BY name";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            List<KnownSite> sites = new ArrayList<>();
            while (rows.next()) {
                sites.add(new KnownSite(rows.getString(1), List.of((String[]) rows.getArray(2).getArray()),
                        rows.getString(3), rows.getObject(4, OffsetDateTime.class)));
            }
            return sites;
        } catch (SQLException e) {
            throw new IllegalStateException("sites could not be listed", e);
        }
    }

    public void seen(SiteProperties site) {
        String sql = "INSERT INTO sites (name, modalities, status, last_seen_at) VALUES (?, ?, 'active', now())"
                + " ON CONFLICT (name) DO UPDATE SET modalities = excluded.modalities, last_seen_at = now()";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, site.site());
            upsert.setArray(2, connection.createArrayOf("text",
                    site.modalities().stream().map(Modality::tag).sorted().toArray()));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("site " + site.site() + " could not be recorded", e);
        }
    }
}
