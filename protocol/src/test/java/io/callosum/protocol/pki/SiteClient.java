package io.callosum.protocol.pki;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A site dialling the loopback server with one certificate. The key manager always offers that certificate: JSSE's
 * own would offer none when its issuer is not one the server asked for, and the test needs a foreign certificate
 * to reach the server's verifier.
 */
final class SiteClient {
    private SiteClient() {
    }

    /** What the server answered (the site's name), or the exception the client saw. */
    static Object connect(int port, X509Certificate ca, IssuedCertificate site) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("ca", ca);
        TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(new X509ExtendedKeyManager[] {new OneCertificate(site, ca)}, trust.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(LoopbackTlsServer.TIMEOUT_MS);
            SSLParameters parameters = socket.getSSLParameters();
            // Checks the server certificate's SANs against the address dialled (127.0.0.1), as grpc-java does.
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            parameters.setProtocols(new String[] {"TLSv1.3"});
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            return answer == null ? new IOException("closed without an answer") : answer;
        } catch (IOException e) {
            return e;
        }
    }

    private static final class OneCertificate extends X509ExtendedKeyManager {
        private static final String ALIAS = "site";
        private final IssuedCertificate site;
        private final X509Certificate ca;

        OneCertificate(IssuedCertificate site, X509Certificate ca) {
            this.site = site;
            this.ca = ca;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return new X509Certificate[] {site.certificate(), ca};
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return site.privateKey();
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
