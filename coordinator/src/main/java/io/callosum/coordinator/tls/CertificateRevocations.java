package io.callosum.coordinator.tls;

import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.ProvisionPlan;
import io.callosum.protocol.pki.RevocationLists;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Certificates operators revoked from the console, in the {@code certificate_revocations} table. The site listener
 * refuses them from the next connection on whether or not this coordinator holds the consortium CA's key; where it
 * does ({@code ca.key} in {@code callosum.tls.dir}), the serial also goes onto the signed {@code crl.pem}, so every
 * other reader of that list refuses it too. Read on every call, so the rows are mirrored in memory.
 */
@ApplicationScoped
public class CertificateRevocations {
    private static final Logger LOG = Logger.getLogger(CertificateRevocations.class);
    private static final int MAX_REASON = 500;

    private final AgroalDataSource dataSource;
    private final SiteTlsSettings settings;
    private final Map<BigInteger, Revocation> current = new ConcurrentHashMap<>();

    public CertificateRevocations(AgroalDataSource dataSource, SiteTlsSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
    }

    /**
     * A revoked certificate; {@code crlNumber} is the consortium revocation list that lists it, empty where the
     * coordinator holds no CA key and only refuses it itself.
     */
    public record Revocation(String serial, String site, String reason, String revokedBy, OffsetDateTime revokedAt,
                             Optional<BigInteger> crlNumber) {
    }

    public Optional<Revocation> of(BigInteger serial) {
        return Optional.ofNullable(current.get(serial));
    }

    /**
     * Revokes the certificate with {@code serial} that {@code site} presented; empty if it was revoked already. The
     * row is written before the list is signed, so a failure to sign still leaves the certificate refused here.
     */
    public Optional<Revocation> revoke(String site, BigInteger serial, String reason, String actor) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw new IllegalArgumentException("a revocation needs a reason of 1 to " + MAX_REASON + " characters");
        }
        String hex = Fingerprints.serial(serial);
        String sql = "INSERT INTO certificate_revocations (serial, site, reason, revoked_by) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (serial) DO NOTHING RETURNING revoked_at";
        OffsetDateTime revokedAt;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, hex);
            insert.setString(2, site);
            insert.setString(3, why);
            insert.setString(4, actor);
            try (ResultSet row = insert.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                revokedAt = row.getObject(1, OffsetDateTime.class);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("certificate " + hex + " of " + site + " could not be revoked", e);
        }
        Optional<BigInteger> crlNumber = signRevocationList(serial);
        crlNumber.ifPresent(number -> recordCrlNumber(hex, number));
        Revocation revocation = new Revocation(hex, site, why, actor, revokedAt, crlNumber);
        current.put(serial, revocation);
        return Optional.of(revocation);
    }

    /** The number of the consortium list that now holds {@code serial}, if this coordinator may sign one. */
    private Optional<BigInteger> signRevocationList(BigInteger serial) {
        if (!settings.enabled() || settings.dir().isEmpty()) {
            return Optional.empty();
        }
        ConsortiumDirectory pki = new ConsortiumDirectory(settings.dir().get());
        if (!Files.isReadable(pki.caKey())) {
            LOG.warnf("certificate %s is refused by this coordinator only: %s holds no CA key, so the consortium"
                    + " list is not updated (run ./callosum provision revoke where the key is kept)",
                    Fingerprints.serial(serial), settings.dir().get());
            return Optional.empty();
        }
        try {
            X509CRL crl = pki.revokeSerial(serial, Instant.now(), ProvisionPlan.REVOCATION_LIST_DEFAULT);
            return Optional.of(RevocationLists.number(crl));
        } catch (IOException | GeneralSecurityException e) {
            LOG.errorf(e, "certificate %s could not be added to %s; this coordinator refuses it all the same",
                    Fingerprints.serial(serial), pki.revocationList());
            return Optional.empty();
        }
    }

    private void recordCrlNumber(String serial, BigInteger number) {
        String sql = "UPDATE certificate_revocations SET crl_number = ? WHERE serial = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            update.setBigDecimal(1, new BigDecimal(number));
            update.setString(2, serial);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("revocation list number of " + serial + " could not be recorded", e);
        }
    }

    @PostConstruct
    void load() {
        String sql = "SELECT serial, site, reason, revoked_by, revoked_at, crl_number FROM certificate_revocations";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                BigDecimal number = rows.getBigDecimal(6);
                current.put(Fingerprints.parseSerial(rows.getString(1)), new Revocation(rows.getString(1),
                        rows.getString(2), rows.getString(3), rows.getString(4),
                        rows.getObject(5, OffsetDateTime.class),
                        Optional.ofNullable(number).map(BigDecimal::toBigIntegerExact)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("certificate revocations could not be read", e);
        }
    }
}
