package io.callosum.coordinator.tls;

import io.callosum.protocol.pki.ClientCertificateTrustManager;
import org.jboss.logging.Logger;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

/**
 * The site listener's handshake trust: a client certificate must be signed by the consortium CA, and nothing more.
 * Validity, revocation, purpose and registration are left to {@link SiteIdentityInterceptor}, which can refuse with
 * the reason in the gRPC status and write it to the audit log; a failed handshake can do neither.
 */
final class ConsortiumCaTrustManager extends ClientCertificateTrustManager {
    private static final Logger LOG = Logger.getLogger(ConsortiumCaTrustManager.class);

    ConsortiumCaTrustManager(X509Certificate ca) {
        super(ca);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refused("(none)", "no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        if (!leaf.getIssuerX500Principal().equals(ca().getSubjectX500Principal())) {
            throw refused(subject, "unknown CA: issued by \"" + leaf.getIssuerX500Principal() + "\"");
        }
        try {
            leaf.verify(ca().getPublicKey());
        } catch (GeneralSecurityException e) {
            throw refused(subject, "unknown CA: not signed by the consortium CA");
        }
    }

    private static CertificateException refused(String subject, String reason) {
        LOG.warnf("TLS handshake refused client certificate %s: %s", subject, reason);
        return new CertificateException(reason);
    }
}
