package io.callosum.protocol.pki;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Decides whether a presented client certificate belongs to a site of this consortium, and which. It is the TLS
 * server's trust manager, so a refused site never completes the handshake; each refusal is logged with its reason.
 *
 * <p>The revocation list and the registry are files re-read when they change, so revoking or adding a site takes
 * effect on the next connection without a restart. A revocation list that is unreadable, not signed by the CA or past
 * its next update refuses everyone: without a current list a revoked site cannot be told apart.
 */
public final class SiteIdentityVerifier extends ClientCertificateTrustManager {
    private static final System.Logger LOG = System.getLogger(SiteIdentityVerifier.class.getName());
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final WatchedFile<X509CRL> revocations;
    private final WatchedFile<SiteRegistry> registry;
    private final Clock clock;

    public SiteIdentityVerifier(X509Certificate ca, Path revocationList, Path registry, Clock clock) {
        super(ca);
        this.revocations = new WatchedFile<>(revocationList, this::readRevocationList);
        this.registry = new WatchedFile<>(registry, SiteRegistry::read);
        this.clock = clock;
    }

    /** The site a chain identifies, or a {@link SiteRefusedException} naming why it is refused. */
    public SiteIdentity verify(X509Certificate[] chain) throws SiteRefusedException {
        if (chain == null || chain.length == 0) {
            throw new SiteRefusedException("no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        Instant now = clock.instant();
        checkIssuedByConsortium(leaf, now);
        checkValidity(leaf, now);
        checkNotRevoked(leaf, now);
        checkClientPurpose(leaf);
        String site = Subjects.commonName(leaf).orElseThrow(() -> new SiteRefusedException(
                "no single CN in subject " + leaf.getSubjectX500Principal()));
        if (currentRegistry().site(site).isEmpty()) {
            throw new SiteRefusedException("not registered: site \"" + site + "\" is not in " + registry.file());
        }
        return new SiteIdentity(site, Subjects.organization(leaf).orElse(""), leaf.getSerialNumber(),
                Fingerprints.sha256(leaf), leaf.getNotAfter().toInstant());
    }

    private void checkIssuedByConsortium(X509Certificate leaf, Instant now) throws SiteRefusedException {
        if (!leaf.getIssuerX500Principal().equals(ca().getSubjectX500Principal())) {
            throw new SiteRefusedException("unknown CA: issued by \"" + leaf.getIssuerX500Principal()
                    + "\", not by the consortium CA \"" + ca().getSubjectX500Principal() + "\"");
        }
        try {
            leaf.verify(ca().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new SiteRefusedException("unknown CA: the issuer is named \"" + ca().getSubjectX500Principal()
                    + "\" but the signature is not the consortium CA's", e);
        }
        if (now.isAfter(ca().getNotAfter().toInstant())) {
            throw new SiteRefusedException("the consortium CA certificate expired on " + ca().getNotAfter().toInstant());
        }
    }

    private static void checkValidity(X509Certificate leaf, Instant now) throws SiteRefusedException {
        if (now.isBefore(leaf.getNotBefore().toInstant())) {
            throw new SiteRefusedException("not yet valid: valid from " + leaf.getNotBefore().toInstant());
        }
        if (now.isAfter(leaf.getNotAfter().toInstant())) {
            throw new SiteRefusedException("expired on " + leaf.getNotAfter().toInstant());
        }
    }

    private void checkNotRevoked(X509Certificate leaf, Instant now) throws SiteRefusedException {
        X509CRL crl;
        try {
            crl = revocations.current();
        } catch (IOException | GeneralSecurityException e) {
            throw new SiteRefusedException("no usable revocation list: " + reason(e), e);
        }
        if (crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant())) {
            throw new SiteRefusedException("revocation list " + revocations.file() + " is out of date since "
                    + crl.getNextUpdate().toInstant() + "; renew it with ./callosum provision renew-crl");
        }
        X509CRLEntry entry = crl.getRevokedCertificate(leaf.getSerialNumber());
        if (entry != null) {
            throw new SiteRefusedException("revoked serial " + Fingerprints.serial(leaf.getSerialNumber()) + " on "
                    + entry.getRevocationDate().toInstant() + " (revocation list #" + RevocationLists.number(crl) + ")");
        }
    }

    private static void checkClientPurpose(X509Certificate leaf) throws SiteRefusedException {
        List<String> purposes;
        try {
            purposes = leaf.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            throw new SiteRefusedException("unreadable extended key usage: " + e.getMessage(), e);
        }
        if (purposes == null || !purposes.contains(CLIENT_AUTH)) {
            throw new SiteRefusedException("not a client certificate: no clientAuth extended key usage");
        }
    }

    private SiteRegistry currentRegistry() throws SiteRefusedException {
        try {
            return registry.current();
        } catch (IOException | GeneralSecurityException e) {
            throw new SiteRefusedException("no usable site registry: " + reason(e), e);
        }
    }

    // NoSuchFileException's message is the bare path, which reads as no reason at all in a log line.
    private static String reason(Exception e) {
        return e instanceof NoSuchFileException ? "missing file " + e.getMessage() : e.getMessage();
    }

    private X509CRL readRevocationList(Path file) throws IOException, GeneralSecurityException {
        X509CRL crl = Pem.readCrl(file);
        try {
            crl.verify(ca().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(file + " is not signed by the consortium CA", e);
        }
        return crl;
    }

    private SiteIdentity verifyLogged(X509Certificate[] chain) throws SiteRefusedException {
        try {
            return verify(chain);
        } catch (SiteRefusedException e) {
            String subject = chain == null || chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal()
                    + " serial " + Fingerprints.serial(chain[0].getSerialNumber());
            LOG.log(System.Logger.Level.WARNING, "refused site certificate " + subject + ": " + e.getMessage());
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verifyLogged(chain);
    }
}
