package io.callosum.coordinator.participants;

import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** The {@code sites} table: every site agent that identified itself, its modalities and when it was last seen. */
@ApplicationScoped
public class SiteDirectory {
    private final AgroalDataSource dataSource;

    public SiteDirectory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
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
