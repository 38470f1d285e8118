package io.callosum.protocol.pki;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier's refusals that need no network: wrong purpose, stale or forged revocation lists, registry changes. */
class SiteIdentityVerifierTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private ConsortiumDirectory pki;
    private CertificateAuthority ca;

    @BeforeEach
    void provision() throws Exception {
        pki = new ConsortiumDirectory(dir);
        pki.provision(ConsortiumDirectoryTest.plan(List.of("a"), false), now);
        ca = pki.loadCa();
    }

    @Test
    void theCoordinatorsServerCertificateIsNoSiteIdentity() throws Exception {
        X509Certificate server = Pem.readCertificate(pki.coordinatorCertificate());

        assertEquals("not a client certificate: no clientAuth extended key usage", refusal(verifier(now), server));
    }

    @Test
    void aRevocationListPastItsNextUpdateRefusesEveryone() throws Exception {
        Instant later = now.plus(ProvisionPlan.REVOCATION_LIST_DEFAULT).plus(Duration.ofDays(1));

        String reason = refusal(verifier(later), site("a"));
        assertTrue(reason.startsWith("revocation list " + pki.revocationList() + " is out of date since "), reason);

        pki.renewRevocationList(later, Duration.ofDays(30));
        assertEquals("a", verifier(later).verify(new X509Certificate[] {site("a")}).site());
    }

    @Test
    void aRevocationListNotSignedByTheCaRefusesEveryone() throws Exception {
        CertificateAuthority other = CertificateAuthority.create("Nordic Brain", Validity.from(now, Duration.ofDays(9)));
        SecureFiles.writePublic(pki.revocationList(), Pem.encode(other.emptyRevocationList(now, Duration.ofDays(9))));

        String reason = refusal(verifier(now), site("a"));
        assertEquals("no usable revocation list: " + pki.revocationList() + " is not signed by the consortium CA", reason);
    }

    @Test
    void aMissingRevocationListOrRegistryRefusesEveryone() throws Exception {
        SiteIdentityVerifier verifier = verifier(now);
        assertEquals("a", verifier.verify(new X509Certificate[] {site("a")}).site());

        Files.move(pki.registry(), dir.resolve("sites.tsv.old"));
        assertEquals("no usable site registry: missing file " + pki.registry(), refusal(verifier, site("a")));
        Files.writeString(pki.revocationList(), "-----BEGIN X509 CRL-----\nnot base64\n-----END X509 CRL-----\n");
        assertTrue(refusal(verifier, site("a")).startsWith("no usable revocation list: " + pki.revocationList()
                + ": malformed PEM: "));
        Files.delete(pki.revocationList());
        assertEquals("no usable revocation list: missing file " + pki.revocationList(), refusal(verifier, site("a")));
    }

    @Test
    void aSiteAddedToTheRegistryIsAdmittedWithoutANewVerifier() throws Exception {
        SiteIdentityVerifier verifier = verifier(now);
        IssuedCertificate late = ca.issueSite("late", Optional.empty(), Validity.from(now, Duration.ofDays(1)));
        assertTrue(refusal(verifier, late.certificate()).startsWith("not registered: site \"late\""));

        SiteRegistry grown = SiteRegistry.of(List.of(SiteRegistry.read(pki.registry()).site("a").orElseThrow(),
                new RegisteredSite("late", late.certificate().getSerialNumber(), late.fingerprint(),
                        late.certificate().getNotAfter().toInstant(), false)));
        SecureFiles.writePublic(pki.registry(), grown.toTsv());

        assertEquals("late", verifier.verify(new X509Certificate[] {late.certificate()}).site());
    }

    @Test
    void offersTheConsortiumCaAndRefusesToJudgeServers() throws Exception {
        SiteIdentityVerifier verifier = verifier(now);
        assertArrayEquals(new X509Certificate[] {ca.certificate()}, verifier.getAcceptedIssuers());
        assertEquals("no client certificate presented", assertThrows(SiteRefusedException.class,
                () -> verifier.checkClientTrusted(new X509Certificate[0], "EC")).getMessage());
        assertThrows(CertificateException.class, () -> verifier.checkServerTrusted(
                new X509Certificate[] {Pem.readCertificate(pki.coordinatorCertificate())}, "EC"));
    }

    private SiteIdentityVerifier verifier(Instant at) {
        return new SiteIdentityVerifier(ca.certificate(), pki.revocationList(), pki.registry(),
                Clock.fixed(at, ZoneOffset.UTC));
    }

    private X509Certificate site(String name) throws Exception {
        return Pem.readCertificate(pki.siteCertificate(name));
    }

    private static String refusal(SiteIdentityVerifier verifier, X509Certificate certificate) {
        return assertThrows(SiteRefusedException.class, () -> verifier.verify(new X509Certificate[] {certificate}))
                .getMessage();
    }
}
