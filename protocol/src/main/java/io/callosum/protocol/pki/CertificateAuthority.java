package io.callosum.protocol.pki;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CRLHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The consortium's certificate authority: one EC P-256 key that signs the coordinator's server certificate, one
 * client certificate per site and the revocation list. Signing uses the JDK's own EC provider, so nothing is
 * registered globally.
 */
public final class CertificateAuthority {
    static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey privateKey;
    private final String consortium;

    private CertificateAuthority(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
        this.consortium = Subjects.organization(certificate)
                .orElseThrow(() -> new IllegalArgumentException("CA certificate "
                        + certificate.getSubjectX500Principal() + " names no consortium (O=)"));
    }

    /** A new self-signed CA. Path length 0: it signs only end-entity certificates, never another CA. */
    public static CertificateAuthority create(String consortium, Validity validity) throws GeneralSecurityException {
        if (consortium == null || consortium.isBlank()) {
            throw new IllegalArgumentException("empty consortium name");
        }
        KeyPair keys = newKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, consortium).addRDN(BCStyle.CN, consortium + " consortium CA").build();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(subject, subject, keys.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(sign(builder, keys.getPrivate()), keys.getPrivate());
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the CA certificate", e);
        }
    }

    /** A CA read back from disk, to issue or revoke later; the key must be the certificate's. */
    public static CertificateAuthority of(X509Certificate certificate, PrivateKey privateKey) {
        if (certificate.getBasicConstraints() < 0) {
            throw new IllegalArgumentException(certificate.getSubjectX500Principal() + " is not a CA certificate");
        }
        CertificateAuthority ca = new CertificateAuthority(certificate, privateKey);
        ca.checkKeyMatches();
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public String consortium() {
        return consortium;
    }

    /** The coordinator's certificate: every name the sites may dial is a SAN, since TLS clients check only those. */
    public IssuedCertificate issueServer(ServerNames names, Validity validity) throws GeneralSecurityException {
        List<GeneralName> sans = new ArrayList<>();
        names.dnsNames().forEach(dns -> sans.add(new GeneralName(GeneralName.dNSName, dns)));
        names.ipAddresses().forEach(ip -> sans.add(new GeneralName(GeneralName.iPAddress, ip)));
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, consortium).addRDN(BCStyle.CN, names.primary()).build();
        return issue(subject, KeyPurposeId.id_kp_serverAuth, sans, validity);
    }

    /**
     * A site's client certificate. Its subject (CN = site, O = consortium) is the site's identity at the coordinator;
     * the optional SAN (a DNS name or a URI) is for the hospital's own inventory.
     */
    public IssuedCertificate issueSite(String site, Optional<String> alternativeName, Validity validity)
            throws GeneralSecurityException {
        SiteNames.check(site);
        List<GeneralName> sans = alternativeName
                .map(name -> List.of(name.contains(":")
                        ? new GeneralName(GeneralName.uniformResourceIdentifier, name)
                        : new GeneralName(GeneralName.dNSName, name)))
                .orElse(List.of());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, consortium).addRDN(BCStyle.CN, site).build();
        return issue(subject, KeyPurposeId.id_kp_clientAuth, sans, validity);
    }

    /** The first revocation list, with nothing revoked yet. */
    public X509CRL emptyRevocationList(Instant now, Duration nextUpdate) throws GeneralSecurityException {
        return signRevocationList(BigInteger.ONE, new X509v2CRLBuilder(holderSubject(), Date.from(now)), now, nextUpdate);
    }

    /**
     * The current list plus {@code serial}, under the next CRL number so that a reader can tell the newer list.
     * Revoking a serial already listed only re-signs the list.
     */
    public X509CRL revoke(X509CRL current, BigInteger serial, Instant now, Duration nextUpdate)
            throws GeneralSecurityException {
        X509v2CRLBuilder builder = successor(current, now);
        if (current.getRevokedCertificate(serial) == null) {
            builder.addCRLEntry(serial, Date.from(now), CRLReason.unspecified);
        }
        return signRevocationList(RevocationLists.number(current).add(BigInteger.ONE), builder, now, nextUpdate);
    }

    /** The same entries with a fresh next-update, for when the list nears its expiry with nothing new to revoke. */
    public X509CRL renew(X509CRL current, Instant now, Duration nextUpdate) throws GeneralSecurityException {
        return signRevocationList(RevocationLists.number(current).add(BigInteger.ONE), successor(current, now), now,
                nextUpdate);
    }

    private X509v2CRLBuilder successor(X509CRL current, Instant now) throws GeneralSecurityException {
        current.verify(certificate.getPublicKey());
        X509v2CRLBuilder builder = new X509v2CRLBuilder(holderSubject(), Date.from(now));
        builder.addCRL(new JcaX509CRLHolder(current));
        return builder;
    }

    private X509CRL signRevocationList(BigInteger number, X509v2CRLBuilder builder, Instant now, Duration nextUpdate)
            throws GeneralSecurityException {
        try {
            builder.setNextUpdate(Date.from(now.plus(nextUpdate)));
            builder.addExtension(Extension.cRLNumber, false, new CRLNumber(number));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            X509CRLHolder holder = builder.build(signer(privateKey));
            return new JcaX509CRLConverter().getCRL(holder);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the revocation list", e);
        }
    }

    private IssuedCertificate issue(X500Name subject, KeyPurposeId purpose, List<GeneralName> sans, Validity validity)
            throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = builder(holderSubject(), subject, keys.getPublic(), validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            extensions.createAuthorityKeyIdentifier(certificate));
            if (!sans.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new IssuedCertificate(sign(builder, privateKey), keys.getPrivate());
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build the certificate for " + subject, e);
        }
    }

    private X500Name holderSubject() {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }

    private void checkKeyMatches() {
        try {
            byte[] probe = new byte[32];
            RANDOM.nextBytes(probe);
            Signature signer = Signature.getInstance(SIGNATURE);
            signer.initSign(privateKey);
            signer.update(probe);
            Signature verifier = Signature.getInstance(SIGNATURE);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            if (verifier.verify(signer.sign())) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // Falls through: a key of another type is as much a mismatch as another key.
        }
        throw new IllegalArgumentException("the CA key does not belong to the CA certificate "
                + certificate.getSubjectX500Principal());
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key, Validity validity) {
        return new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(validity.notBefore()),
                Date.from(validity.notAfter()), subject, key);
    }

    /** Positive, 128 bits long with 127 random: unpredictable serials, within RFC 5280's 20 octets. */
    private static BigInteger serial() {
        return new BigInteger(128, RANDOM).setBit(127);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer(key)));
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE, e);
        }
    }
}
