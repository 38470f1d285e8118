package io.callosum.coordinator.participants;

import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.SiteIdentity;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code sites} table: every site agent that identified itself, its modalities, when it was last seen and the
 * certificate it last presented over mTLS.
 */
@ApplicationScoped
public class SiteDirectory {
    private final AgroalDataSource dataSource;

    public SiteDirectory(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A site as the directory knows it; no certificate where it never joined over mTLS. */
    public record KnownSite(String name, List<String> modalities, String status, OffsetDateTime lastSeenAt,
                            Optional<PresentedCertificate> certificate) {
    }

    /** The client certificate a site authenticated with: serial as openssl prints it, and its expiry. */
    public record PresentedCertificate(String serial, String fingerprint, OffsetDateTime notAfter) {
    }

    public List<KnownSite> all() {
        return query("");
    }

    public Optional<KnownSite> byName(String name) {
        return query(name).stream().findFirst();
    }

    private List<KnownSite> query(String name) {
        String sql = "SELECT name, modalities, status, last_seen_at, certificate_serial, certificate_fingerprint,"
                + " certificate_not_after FROM sites" + (name.isEmpty() ? "" : " WHERE name = ?") + " ORDER BY name";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            if (!name.isEmpty()) {
                query.setString(1, name);
            }
            List<KnownSite> sites = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String serial = rows.getString(5);
                    Optional<PresentedCertificate> certificate = serial == null ? Optional.empty()
                            : Optional.of(new PresentedCertificate(serial, rows.getString(6),
                            rows.getObject(7, OffsetDateTime.class)));
                    sites.add(new KnownSite(rows.getString(1), List.of((String[]) rows.getArray(2).getArray()),
                            rows.getString(3), rows.getObject(4, OffsetDateTime.class), certificate));
                }
            }
            return sites;
        } catch (SQLException e) {
            throw new IllegalStateException("sites could not be listed", e);
        }
    }

    /**
     * Records the certificate a site just authenticated with; a site seen for the first time gets its row here,
     * its modalities once it names them.
     */
    public void authenticated(SiteIdentity identity) {
        String sql = "INSERT INTO sites (name, status, last_seen_at, certificate_serial, certificate_fingerprint,"
                + " certificate_not_after) VALUES (?, 'active', now(), ?, ?, ?) ON CONFLICT (name) DO UPDATE SET"
                + " last_seen_at = now(), certificate_serial = excluded.certificate_serial,"
                + " certificate_fingerprint = excluded.certificate_fingerprint,"
                + " certificate_not_after = excluded.certificate_not_after";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement upsert = connection.prepareStatement(sql)) {
            upsert.setString(1, identity.site());
            upsert.setString(2, Fingerprints.serial(identity.serial()));
            upsert.setString(3, identity.fingerprint());
            upsert.setObject(4, identity.notAfter().atOffset(ZoneOffset.UTC));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("certificate of site " + identity.site() + " could not be recorded", e);
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
