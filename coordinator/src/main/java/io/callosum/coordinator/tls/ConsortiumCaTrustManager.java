package io.callosum.coordinator.tls;

import org.jboss.logging.Logger;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The site listener's handshake trust: a client certificate must be signed by the consortium CA, and nothing more.
 * Validity, revocation, purpose and registration are left to {@link SiteIdentityInterceptor}, which can refuse with
 * the reason in the gRPC status and write it to the audit log; a failed handshake can do neither.
 */
final class ConsortiumCaTrustManager extends X509ExtendedTrustManager {
    private static final Logger LOG = Logger.getLogger(ConsortiumCaTrustManager.class);
    private final X509Certificate ca;

    ConsortiumCaTrustManager(X509Certificate ca) {
        this.ca = ca;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refused("(none)", "no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        String subject = leaf.getSubjectX500Principal().getName();
        if (!leaf.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw refused(subject, "unknown CA: issued by \"" + leaf.getIssuerX500Principal() + "\"");
        }
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw refused(subject, "unknown CA: not signed by the consortium CA");
        }
    }

    private static CertificateException refused(String subject, String reason) {
        LOG.warnf("TLS handshake refused client certificate %s: %s", subject, reason);
        return new CertificateException(reason);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("the site listener checks client certificates only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca};
    }
}
