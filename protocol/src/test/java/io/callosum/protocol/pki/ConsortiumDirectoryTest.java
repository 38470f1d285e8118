package io.callosum.protocol.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsortiumDirectoryTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.now();

    static ProvisionPlan plan(List<String> sites, boolean force) {
        return new ProvisionPlan("Nordic Brain", sites, ServerNames.LOOPBACK, Validity.CA_DEFAULT, Validity.LEAF_DEFAULT,
                ProvisionPlan.REVOCATION_LIST_DEFAULT, force);
    }

    @Test
    void writesTheCaTheCoordinatorAndEverySiteWithKeysOwnerOnly() throws Exception {
        ConsortiumDirectory pki = new ConsortiumDirectory(dir);
        Provisioned provisioned = pki.provision(plan(List.of("st-olav", "karolinska"), false), now);

        assertEquals(Set.of("ca.crt", "ca.key", "coordinator.crt", "coordinator.key", "truststore.p12",
                "truststore.password", "crl.pem", "sites.tsv", "sites/st-olav.crt", "sites/st-olav.key",
                "sites/karolinska.crt", "sites/karolinska.key"), provisioned.files().stream()
                .map(file -> dir.relativize(file.path()).toString()).collect(Collectors.toSet()));
        for (WrittenFile file : provisioned.files()) {
            assertTrue(Files.size(file.path()) > 0, file.path() + " is empty");
            assertEquals(file.secret() ? "rw-------" : "rw-r--r--",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path())), file.path().toString());
        }
        assertEquals(Set.of("ca.key", "coordinator.key", "truststore.password", "sites/st-olav.key",
                "sites/karolinska.key"), provisioned.files().stream().filter(WrittenFile::secret)
                .map(file -> dir.relativize(file.path()).toString()).collect(Collectors.toSet()));
        assertTrue(Files.readString(pki.siteKey("st-olav")).startsWith("-----BEGIN PRIVATE KEY-----\n"), "PKCS#8");

        X509Certificate ca = Pem.readCertificate(pki.caCertificate());
        X509Certificate site = Pem.readCertificate(pki.siteCertificate("karolinska"));
        site.verify(ca.getPublicKey());
        assertEquals(Fingerprints.sha256(ca), provisioned.caFingerprint());
        RegisteredSite row = SiteRegistry.read(pki.registry()).site("karolinska").orElseThrow();
        assertEquals(site.getSerialNumber(), row.serial());
        assertEquals(Fingerprints.sha256(site), row.fingerprint());
        assertFalse(row.revoked());
        assertEquals(provisioned.registry(), SiteRegistry.read(pki.registry()));
        assertEquals(List.of("st-olav", "karolinska"), List.copyOf(provisioned.registry().sites().keySet()));

        String password = Files.readString(pki.trustStorePassword());
        assertFalse(password.endsWith("\n"), "kubectl --from-file would keep a newline in the password");
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        trustStore.load(new ByteArrayInputStream(Files.readAllBytes(pki.trustStore())), password.toCharArray());
        assertEquals(ca, trustStore.getCertificate(TrustStore.ALIAS));
        assertTrue(trustStore.isCertificateEntry(TrustStore.ALIAS));

        X509CRL crl = Pem.readCrl(pki.revocationList());
        crl.verify(ca.getPublicKey());
        assertNull(crl.getRevokedCertificates());
        assertEquals(BigInteger.ONE, RevocationLists.number(crl));
    }

    @Test
    void refusesToReplaceKeysUnlessForced() throws Exception {
        ConsortiumDirectory pki = new ConsortiumDirectory(dir);
        pki.provision(plan(List.of("a", "b"), false), now);
        String caBefore = Files.readString(pki.caCertificate());

        FileAlreadyExistsException refused = assertThrows(FileAlreadyExistsException.class,
                () -> pki.provision(plan(List.of("a"), false), now));

        assertTrue(refused.getMessage().contains("ca.key, coordinator.key, sites/a.key, sites/b.key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
        assertEquals(caBefore, Files.readString(pki.caCertificate()));

        pki.provision(plan(List.of("c"), true), now);
        assertFalse(caBefore.equals(Files.readString(pki.caCertificate())));
        assertFalse(Files.exists(pki.siteKey("a")), "a forced run leaves no key of the old CA behind");
        assertEquals(Set.of("c"), SiteRegistry.read(pki.registry()).sites().keySet());
    }

    @Test
    void refusesBadSiteNamesNamingTheSite() {
        assertEquals("bad site name \"st olav\": use only letters, digits, '.', '_' and '-'",
                assertThrows(IllegalArgumentException.class, () -> plan(List.of("a", "st olav"), false)).getMessage());
        assertEquals("site \"a\" is given twice",
                assertThrows(IllegalArgumentException.class, () -> plan(List.of("a", "b", "a"), false)).getMessage());
        assertEquals("empty site name",
                assertThrows(IllegalArgumentException.class, () -> plan(List.of("a", ""), false)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> plan(List.of("../etc"), false)).getMessage()
                .contains("\"../etc\""));
        assertFalse(Files.exists(dir.resolve("ca.key")));
    }

    @Test
    void revokingASiteListsItsSerialAndMarksItsRow() throws Exception {
        ConsortiumDirectory pki = new ConsortiumDirectory(dir);
        pki.provision(plan(List.of("a", "b"), false), now);
        BigInteger serialA = Pem.readCertificate(pki.siteCertificate("a")).getSerialNumber();
        BigInteger coordinator = Pem.readCertificate(pki.coordinatorCertificate()).getSerialNumber();

        X509CRL afterSite = pki.revokeSite("a", now, Duration.ofDays(7));
        X509CRL afterSerial = pki.revokeSerial(coordinator, now, Duration.ofDays(7));

        assertEquals(BigInteger.TWO, RevocationLists.number(afterSite));
        assertEquals(Set.of(serialA), afterSite.getRevokedCertificates().stream()
                .map(entry -> entry.getSerialNumber()).collect(Collectors.toSet()));
        assertEquals(BigInteger.valueOf(3), RevocationLists.number(Pem.readCrl(pki.revocationList())));
        assertEquals(2, afterSerial.getRevokedCertificates().size());
        SiteRegistry registry = SiteRegistry.read(pki.registry());
        assertTrue(registry.site("a").orElseThrow().revoked());
        assertFalse(registry.site("b").orElseThrow().revoked());
        assertTrue(Files.readString(pki.registry()).contains("\trevoked\n"));
        assertEquals("site \"nobody\" is not registered in " + pki.registry(), assertThrows(IllegalArgumentException.class,
                () -> pki.revokeSite("nobody", now, Duration.ofDays(7))).getMessage());
    }
}
