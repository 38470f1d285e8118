package io.callosum.protocol.pki;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The verifier as the trust manager of a real TLS 1.3 server on loopback, one connection per case. */
@Timeout(60)
class SiteIdentityTlsTest {
    @TempDir
    Path dir;

    private final Instant now = Instant.now();
    private ConsortiumDirectory pki;
    private CertificateAuthority ca;
    private LoopbackTlsServer server;

    @BeforeEach
    void startServer() throws Exception {
        pki = new ConsortiumDirectory(dir);
        pki.provision(ConsortiumDirectoryTest.plan(List.of("st-olav", "karolinska"), false), now);
        ca = pki.loadCa();
        IssuedCertificate coordinator = new IssuedCertificate(Pem.readCertificate(pki.coordinatorCertificate()),
                Pem.readPrivateKey(pki.coordinatorKey()));
        SiteIdentityVerifier verifier = new SiteIdentityVerifier(ca.certificate(), pki.revocationList(), pki.registry(),
                Clock.systemUTC());
        server = new LoopbackTlsServer(coordinator, ca.certificate(), verifier);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void aRegisteredSiteIsAdmittedAsItsCommonName() throws Exception {
        IssuedCertificate site = provisioned("karolinska");

        assertEquals("karolinska", SiteClient.connect(server.port(), ca.certificate(), site));

        SiteIdentity identity = assertInstanceOf(SiteIdentity.class, server.nextOutcome());
        assertEquals("karolinska", identity.site());
        assertEquals("Nordic Brain", identity.consortium());
        assertEquals(site.certificate().getSerialNumber(), identity.serial());
        assertEquals(site.fingerprint(), identity.fingerprint());
    }

    @Test
    void aCertificateFromAnotherCaIsRefused() throws Exception {
        CertificateAuthority foreign = CertificateAuthority.create("Nordic Brain", Validity.from(now, Duration.ofDays(9)));
        IssuedCertificate impostor = foreign.issueSite("st-olav", Optional.empty(), Validity.from(now, Duration.ofDays(9)));

        assertRefused(impostor, "unknown CA: the issuer is named \"CN=Nordic Brain consortium CA, O=Nordic Brain\" but "
                + "the signature is not the consortium CA's");

        IssuedCertificate stranger = CertificateAuthority.create("Elsewhere", Validity.from(now, Duration.ofDays(9)))
                .issueSite("st-olav", Optional.empty(), Validity.from(now, Duration.ofDays(9)));
        assertRefused(stranger, "unknown CA: issued by \"CN=Elsewhere consortium CA, O=Elsewhere\", not by the "
                + "consortium CA \"CN=Nordic Brain consortium CA, O=Nordic Brain\"");
    }

    @Test
    void anExpiredCertificateIsRefusedWithItsExpiryDate() throws Exception {
        Validity past = new Validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
        IssuedCertificate expired = ca.issueSite("st-olav", Optional.empty(), past);

        assertRefused(expired, "expired on " + expired.certificate().getNotAfter().toInstant());
    }

    @Test
    void aRevocationTakesEffectOnTheRunningServersNextConnection() throws Exception {
        IssuedCertificate site = provisioned("st-olav");
        assertEquals("st-olav", SiteClient.connect(server.port(), ca.certificate(), site));
        assertInstanceOf(SiteIdentity.class, server.nextOutcome());

        pki.revokeSite("st-olav", Instant.now(), Duration.ofDays(30));

        assertRefused(site, "revoked serial " + Fingerprints.serial(site.certificate().getSerialNumber()) + " on ");
        assertEquals("karolinska", SiteClient.connect(server.port(), ca.certificate(), provisioned("karolinska")),
                "the other site is still admitted");
        assertInstanceOf(SiteIdentity.class, server.nextOutcome());
    }

    @Test
    void aSiteMissingFromTheRegistryIsRefusedByName() throws Exception {
        IssuedCertificate unregistered = ca.issueSite("intruder", Optional.empty(), Validity.from(now, Duration.ofDays(1)));

        assertRefused(unregistered, "not registered: site \"intruder\" is not in " + pki.registry());
    }

    private void assertRefused(IssuedCertificate site, String reason) throws Exception {
        Object client = SiteClient.connect(server.port(), ca.certificate(), site);
        assertInstanceOf(Exception.class, client, "the client must not be answered");
        Throwable failure = assertInstanceOf(Exception.class, server.nextOutcome());
        Throwable cause = failure;
        while (cause != null && !(cause instanceof SiteRefusedException)) {
            cause = cause.getCause();
        }
        assertInstanceOf(SiteRefusedException.class, cause, () -> "handshake failed otherwise: " + failure);
        assertTrue(cause.getMessage().startsWith(reason), cause.getMessage());
        assertNotEquals("", reason);
    }

    private IssuedCertificate provisioned(String site) throws Exception {
        X509Certificate certificate = Pem.readCertificate(pki.siteCertificate(site));
        return new IssuedCertificate(certificate, Pem.readPrivateKey(pki.siteKey(site)));
    }
}
