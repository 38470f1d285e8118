package io.callosum.protocol.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A server-side trust manager that judges client (site) certificates issued by the consortium CA and never server
 * certificates. Subclasses decide {@link #checkClientTrusted(X509Certificate[], String)}; the socket and engine
 * variants judge alike, since a site's identity does not depend on the connection it arrived on.
 */
public abstract class ClientCertificateTrustManager extends X509ExtendedTrustManager {
    private final X509Certificate ca;

    protected ClientCertificateTrustManager(X509Certificate ca) {
        this.ca = ca;
    }

    protected final X509Certificate ca() {
        return ca;
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException(getClass().getSimpleName() + " checks site (client) certificates only");
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    /** Sent to the client in the handshake, so that a site agent offers its consortium certificate. */
    @Override
    public final X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {ca};
    }
}
