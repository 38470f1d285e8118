package io.callosum.protocol.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A consortium's PKI on disk, laid out for the Helm charts' Secrets:
 * <pre>
 *   ca.crt  ca.key                     the consortium CA (keep ca.key offline)
 *   coordinator.crt  coordinator.key   the coordinator's server certificate
 *   truststore.p12  truststore.password the CA as PKCS12, for Quarkus's gRPC server
 *   crl.pem                            the revocation list
 *   sites.tsv                          the registry: site, serial, fingerprint, expiry, status
 *   sites/NAME.crt  sites/NAME.key     one client certificate per site
 * </pre>
 * Site files live in their own folder so that no site name can collide with the CA's or the coordinator's files.
 */
public final class ConsortiumDirectory {
    private final Path root;

    public ConsortiumDirectory(Path root) {
        this.root = root;
    }

    public Path caCertificate() {
        return root.resolve("ca.crt");
    }

    public Path caKey() {
        return root.resolve("ca.key");
    }

    public Path coordinatorCertificate() {
        return root.resolve("coordinator.crt");
    }

    public Path coordinatorKey() {
        return root.resolve("coordinator.key");
    }

    public Path trustStore() {
        return root.resolve("truststore.p12");
    }

    public Path trustStorePassword() {
        return root.resolve("truststore.password");
    }

    public Path revocationList() {
        return root.resolve("crl.pem");
    }

    public Path registry() {
        return root.resolve("sites.tsv");
    }

    public Path siteCertificate(String site) {
        SiteNames.check(site);
        return root.resolve("sites").resolve(site + ".crt");
    }

    public Path siteKey(String site) {
        SiteNames.check(site);
        return root.resolve("sites").resolve(site + ".key");
    }

    /**
     * Creates the whole PKI. Refuses a directory that already holds keys unless {@code plan.force()}: replacing the CA
     * silently would lock every deployed site out.
     */
    public Provisioned provision(ProvisionPlan plan, Instant now) throws IOException, GeneralSecurityException {
        List<Path> existingKeys = existingKeys();
        if (!existingKeys.isEmpty() && !plan.force()) {
            throw new FileAlreadyExistsException(root + " already holds keys (" + String.join(", ",
                    existingKeys.stream().map(key -> root.relativize(key).toString()).toList())
                    + "); pass --force to replace them, which invalidates every certificate issued from them");
        }
        for (Path key : existingKeys) {
            if (key.getParent().endsWith("sites")) {
                Files.deleteIfExists(key);
                Files.deleteIfExists(key.resolveSibling(key.getFileName().toString().replaceFirst("\\.key$", ".crt")));
            }
        }
        CertificateAuthority ca = CertificateAuthority.create(plan.consortium(), Validity.from(now, plan.caValidity()));
        IssuedCertificate coordinator = ca.issueServer(plan.server(), Validity.from(now, plan.leafValidity()));
        List<WrittenFile> written = new ArrayList<>();
        write(written, caCertificate(), Pem.encode(ca.certificate()), false, "CA certificate");
        write(written, caKey(), Pem.encode(ca.privateKey()), true, "CA private key (keep offline)");
        write(written, coordinatorCertificate(), Pem.encode(coordinator.certificate()), false,
                "coordinator server certificate for " + plan.server().describe());
        write(written, coordinatorKey(), Pem.encode(coordinator.privateKey()), true, "coordinator private key");
        String password = TrustStore.newPassword();
        write(written, trustStore(), TrustStore.pkcs12(ca.certificate(), password), false,
                "CA as PKCS12 trust store (type pkcs12)");
        // No trailing newline: kubectl --from-file would make it part of the password.
        write(written, trustStorePassword(), password, true, "trust store password");
        List<RegisteredSite> rows = new ArrayList<>();
        for (String site : plan.sites()) {
            IssuedCertificate issued = ca.issueSite(site, Optional.empty(), Validity.from(now, plan.leafValidity()));
            write(written, siteCertificate(site), Pem.encode(issued.certificate()), false, "client certificate of " + site);
            write(written, siteKey(site), Pem.encode(issued.privateKey()), true, "private key of " + site);
            rows.add(new RegisteredSite(site, issued.certificate().getSerialNumber(), issued.fingerprint(),
                    issued.certificate().getNotAfter().toInstant(), false));
        }
        X509CRL crl = ca.emptyRevocationList(now, plan.revocationListValidity());
        write(written, revocationList(), Pem.encode(crl), false, "revocation list #" + RevocationLists.number(crl));
        SiteRegistry registry = SiteRegistry.of(rows);
        write(written, registry(), registry.toTsv(), false, "site registry (" + rows.size() + " sites)");
        return new Provisioned(written, Fingerprints.sha256(ca.certificate()), coordinator.fingerprint(), registry);
    }

    /** Revokes a site's certificate: the revocation list gains its serial and the registry marks it revoked. */
    public X509CRL revokeSite(String site, Instant now, Duration nextUpdate) throws IOException, GeneralSecurityException {
        SiteRegistry registry = SiteRegistry.read(registry());
        RegisteredSite row = registry.site(site).orElseThrow(() -> new IllegalArgumentException("site \"" + site
                + "\" is not registered in " + registry()));
        X509CRL crl = loadCa().revoke(Pem.readCrl(revocationList()), row.serial(), now, nextUpdate);
        SecureFiles.writePublic(revocationList(), Pem.encode(crl));
        SecureFiles.writePublic(registry(), registry.withRevoked(site).toTsv());
        return crl;
    }

    /** Revokes any certificate of this CA by serial, the coordinator's too; a site's row is marked if it has one. */
    public X509CRL revokeSerial(BigInteger serial, Instant now, Duration nextUpdate)
            throws IOException, GeneralSecurityException {
        SiteRegistry registry = SiteRegistry.read(registry());
        Optional<RegisteredSite> row = registry.sites().values().stream()
                .filter(site -> site.serial().equals(serial)).findFirst();
        if (row.isPresent()) {
            return revokeSite(row.get().site(), now, nextUpdate);
        }
        X509CRL crl = loadCa().revoke(Pem.readCrl(revocationList()), serial, now, nextUpdate);
        SecureFiles.writePublic(revocationList(), Pem.encode(crl));
        return crl;
    }

    /** Re-signs the revocation list with a new next-update, before the verifier starts refusing everyone. */
    public X509CRL renewRevocationList(Instant now, Duration nextUpdate) throws IOException, GeneralSecurityException {
        X509CRL crl = loadCa().renew(Pem.readCrl(revocationList()), now, nextUpdate);
        SecureFiles.writePublic(revocationList(), Pem.encode(crl));
        return crl;
    }

    public CertificateAuthority loadCa() throws IOException {
        return CertificateAuthority.of(Pem.readCertificate(caCertificate()), Pem.readPrivateKey(caKey()));
    }

    private List<Path> existingKeys() throws IOException {
        List<Path> keys = new ArrayList<>();
        for (Path key : List.of(caKey(), coordinatorKey())) {
            if (Files.exists(key)) {
                keys.add(key);
            }
        }
        Path sites = root.resolve("sites");
        if (Files.isDirectory(sites)) {
            try (Stream<Path> files = Files.list(sites)) {
                files.filter(file -> file.getFileName().toString().endsWith(".key")).sorted().forEach(keys::add);
            }
        }
        return keys;
    }

    private static void write(List<WrittenFile> written, Path file, String text, boolean secret, String contents)
            throws IOException {
        write(written, file, text.getBytes(StandardCharsets.US_ASCII), secret, contents);
    }

    private static void write(List<WrittenFile> written, Path file, byte[] bytes, boolean secret, String contents)
            throws IOException {
        SecureFiles.write(file, bytes, secret);
        written.add(new WrittenFile(file, contents, secret));
    }
}
