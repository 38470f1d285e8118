package io.callosum.protocol.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * A TLS 1.3 server on loopback that requires a client certificate and trusts only the {@link SiteIdentityVerifier}:
 * the way the coordinator's listener will use it. For each connection it records the admitted identity or the
 * handshake failure, and answers an admitted site with its name.
 */
final class LoopbackTlsServer implements AutoCloseable {
    static final int TIMEOUT_MS = 5_000;

    private final SSLServerSocket socket;
    private final SiteIdentityVerifier verifier;
    private final BlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    LoopbackTlsServer(IssuedCertificate server, X509Certificate ca, SiteIdentityVerifier verifier)
            throws GeneralSecurityException, IOException {
        this.verifier = verifier;
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("coordinator", server.privateKey(), new char[0],
                new Certificate[] {server.certificate(), ca});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance("SunX509");
        keyManagers.init(keys, new char[0]);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keyManagers.getKeyManagers(), new TrustManager[] {verifier}, null);
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 8,
                InetAddress.getLoopbackAddress());
        socket.setEnabledProtocols(new String[] {"TLSv1.3"});
        socket.setNeedClientAuth(true);
        acceptor = new Thread(this::serve, "loopback-tls-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    /** The next connection's outcome: a {@link SiteIdentity}, or the exception that ended its handshake. */
    Object nextOutcome() throws InterruptedException {
        Object outcome = outcomes.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        if (outcome == null) {
            throw new AssertionError("the server saw no connection within " + TIMEOUT_MS + " ms");
        }
        return outcome;
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (SSLSocket connection = (SSLSocket) socket.accept()) {
                connection.setSoTimeout(TIMEOUT_MS);
                try {
                    connection.startHandshake();
                    Certificate[] peer = connection.getSession().getPeerCertificates();
                    X509Certificate[] chain = new X509Certificate[peer.length];
                    System.arraycopy(peer, 0, chain, 0, peer.length);
                    SiteIdentity identity = verifier.verify(chain);
                    OutputStream out = connection.getOutputStream();
                    out.write((identity.site() + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    outcomes.add(identity);
                    // Wait for the client to close, so that our close cannot reset the line before it is read.
                    InputStream in = connection.getInputStream();
                    while (in.read() >= 0) {
                        // drained
                    }
                } catch (IOException | GeneralSecurityException e) {
                    outcomes.add(e);
                }
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    outcomes.add(e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.close();
        acceptor.join(TIMEOUT_MS);
    }
}
