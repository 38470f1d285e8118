package io.callosum.protocol.pki;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAuthorityTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @Test
    void caCertificateMaySignCertificatesAndRevocationListsButNoOtherCa() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Nordic Brain", Validity.from(now, Validity.CA_DEFAULT));
        X509Certificate cert = ca.certificate();

        assertEquals(0, cert.getBasicConstraints(), "CA=true with path length 0");
        assertTrue(cert.getCriticalExtensionOIDs().containsAll(Set.of("2.5.29.19", "2.5.29.15")));
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[KEY_CERT_SIGN] && usage[CRL_SIGN]);
        assertEquals(2, countTrue(usage));
        assertNotNull(cert.getExtensionValue("2.5.29.14"), "subject key identifier");
        assertNotNull(cert.getExtensionValue("2.5.29.35"), "authority key identifier");
        assertEquals("CN=Nordic Brain consortium CA,O=Nordic Brain", cert.getSubjectX500Principal().getName());
        cert.verify(cert.getPublicKey());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals(now.plus(Validity.CA_DEFAULT), cert.getNotAfter().toInstant());
        assertEquals("Nordic Brain", ca.consortium());
    }

    @Test
    void serverCertificateNamesEveryAddressTheSitesDial() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("c", Validity.from(now, Validity.CA_DEFAULT));
        X509Certificate server = ca.issueServer(new ServerNames(List.of("callosum.example.org", "localhost"),
                List.of("127.0.0.1", "::1")), Validity.from(now, Validity.LEAF_DEFAULT)).certificate();

        assertEquals(Set.of(List.of(2, "callosum.example.org"), List.of(2, "localhost"), List.of(7, "127.0.0.1"),
                List.of(7, "0:0:0:0:0:0:0:1")), names(server.getSubjectAlternativeNames()));
        assertEquals(List.of(SERVER_AUTH), server.getExtendedKeyUsage());
        assertEndEntitySignedBy(ca, server);
        assertEquals("CN=callosum.example.org,O=c", server.getSubjectX500Principal().getName());
        assertEquals(now.plus(Validity.LEAF_DEFAULT), server.getNotAfter().toInstant());
    }

    @Test
    void loopbackIsTheDefaultServerName() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("c", Validity.from(now, Validity.CA_DEFAULT));
        X509Certificate server = ca.issueServer(ServerNames.LOOPBACK, Validity.from(now, Duration.ofDays(1)))
                .certificate();

        assertEquals(Set.of(List.of(2, "localhost"), List.of(7, "127.0.0.1")), names(server.getSubjectAlternativeNames()));
    }

    @Test
    void siteCertificateIsAClientCertificateWhoseSubjectIsTheSite() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Nordic Brain", Validity.from(now, Validity.CA_DEFAULT));
        Validity validity = new Validity(now.minus(Duration.ofDays(2)), now.plus(Duration.ofDays(90)));
        X509Certificate site = ca.issueSite("st-olav", Optional.of("https://st-olav.example/callosum"), validity)
                .certificate();
        X509Certificate plain = ca.issueSite("st-olav", Optional.empty(), validity).certificate();
        X509Certificate dns = ca.issueSite("karolinska", Optional.of("callosum.karolinska.example"), validity)
                .certificate();

        assertEquals("CN=st-olav,O=Nordic Brain", site.getSubjectX500Principal().getName());
        assertEquals(List.of(CLIENT_AUTH), site.getExtendedKeyUsage());
        assertEndEntitySignedBy(ca, site);
        assertEquals(validity.notBefore(), site.getNotBefore().toInstant());
        assertEquals(validity.notAfter(), site.getNotAfter().toInstant());
        assertEquals(Set.of(List.of(6, "https://st-olav.example/callosum")), names(site.getSubjectAlternativeNames()));
        assertEquals(Set.of(List.of(2, "callosum.karolinska.example")), names(dns.getSubjectAlternativeNames()));
        assertNull(plain.getSubjectAlternativeNames());
        assertEquals(128, site.getSerialNumber().bitLength());
        assertNotEquals(site.getSerialNumber(), plain.getSerialNumber());
    }

    @Test
    void revocationListGrowsUnderANewNumberEachTime() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("c", Validity.from(now, Validity.CA_DEFAULT));
        BigInteger first = ca.issueSite("a", Optional.empty(), Validity.from(now, Duration.ofDays(1)))
                .certificate().getSerialNumber();
        BigInteger second = ca.issueSite("b", Optional.empty(), Validity.from(now, Duration.ofDays(1)))
                .certificate().getSerialNumber();

        X509CRL empty = ca.emptyRevocationList(now, Duration.ofDays(30));
        X509CRL one = ca.revoke(empty, first, now, Duration.ofDays(30));
        X509CRL two = ca.revoke(one, second, now, Duration.ofDays(30));
        X509CRL again = ca.revoke(two, second, now, Duration.ofDays(30));
        X509CRL renewed = ca.renew(again, now.plus(Duration.ofDays(20)), Duration.ofDays(30));

        assertNull(empty.getRevokedCertificates());
        assertEquals(Set.of(first), serials(one));
        assertEquals(Set.of(first, second), serials(two));
        assertEquals(Set.of(first, second), serials(again));
        assertEquals(Set.of(first, second), serials(renewed));
        assertEquals(List.of(1, 2, 3, 4, 5), List.of(empty, one, two, again, renewed).stream()
                .map(crl -> RevocationLists.number(crl).intValue()).toList());
        assertEquals(now.plus(Duration.ofDays(50)), renewed.getNextUpdate().toInstant());
        assertEquals(ca.certificate().getSubjectX500Principal(), two.getIssuerX500Principal());
        two.verify(ca.certificate().getPublicKey());
    }

    @Test
    void aCaReadBackMustHoldItsOwnKey() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("c", Validity.from(now, Validity.CA_DEFAULT));
        CertificateAuthority other = CertificateAuthority.create("c", Validity.from(now, Validity.CA_DEFAULT));

        assertEquals(ca.certificate(), CertificateAuthority.of(ca.certificate(), ca.privateKey()).certificate());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> CertificateAuthority.of(ca.certificate(), other.privateKey()));
        assertTrue(mismatch.getMessage().contains("does not belong"), mismatch.getMessage());
    }

    private static void assertEndEntitySignedBy(CertificateAuthority ca, X509Certificate cert) throws Exception {
        cert.verify(ca.certificate().getPublicKey());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(-1, cert.getBasicConstraints(), "not a CA");
        boolean[] usage = cert.getKeyUsage();
        assertTrue(usage[0], "digitalSignature");
        assertEquals(1, countTrue(usage));
        assertArrayEquals(keyIdentifier(ca.certificate().getExtensionValue("2.5.29.14")),
                authorityKeyIdentifier(cert.getExtensionValue("2.5.29.35")), "authority key identifier is the CA's");
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
    }

    private static byte[] keyIdentifier(byte[] extension) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    private static byte[] authorityKeyIdentifier(byte[] extension) {
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getKeyIdentifier();
    }

    private static Set<List<?>> names(Collection<List<?>> sans) {
        return Set.copyOf(sans);
    }

    private static Set<BigInteger> serials(X509CRL crl) {
        return crl.getRevokedCertificates().stream().map(entry -> entry.getSerialNumber()).collect(Collectors.toSet());
    }

    private static int countTrue(boolean[] usage) {
        int count = 0;
        for (boolean bit : usage) {
            count += bit ? 1 : 0;
        }
        return count;
    }
}
