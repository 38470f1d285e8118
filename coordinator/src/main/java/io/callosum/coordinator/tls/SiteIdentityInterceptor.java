package io.callosum.coordinator.tls;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.participants.SiteDirectory;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.Pem;
import io.callosum.protocol.pki.SiteIdentity;
import io.callosum.protocol.pki.SiteIdentityVerifier;
import io.callosum.protocol.pki.SiteRefusedException;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * With {@code callosum.tls.enabled}, admits a call on the site listener only from a site of the consortium. The TLS
 * handshake already demands a client certificate chained to the consortium CA; this interceptor then checks the
 * peer's certificate with {@link SiteIdentityVerifier} (validity, the revocation list re-read when it changes, the
 * clientAuth purpose, a CN registered in {@code sites.tsv}) and against the certificates operators revoked from the
 * console ({@link CertificateRevocations}), and on {@code Join} that the site name claimed in
 * {@code get_properties_res} is the certificate's CN. Each refusal is logged and audited with its reason; each
 * admitted Join records the certificate in the site directory, for its expiry on the console.
 */
@ApplicationScoped
@GlobalInterceptor
public class SiteIdentityInterceptor implements ServerInterceptor {
    private static final Logger LOG = Logger.getLogger(SiteIdentityInterceptor.class);
    private static final String JOIN = FlowerServiceGrpc.getJoinMethod().getFullMethodName();

    private final AuditLog auditLog;
    private final CertificateRevocations revocations;
    private final SiteDirectory sites;
    private final boolean enabled;
    private final SiteIdentityVerifier verifier;

    public SiteIdentityInterceptor(SiteTlsSettings settings, AuditLog auditLog, CertificateRevocations revocations,
                                   SiteDirectory sites) {
        this.auditLog = auditLog;
        this.revocations = revocations;
        this.sites = sites;
        this.enabled = settings.enabled();
        if (enabled) {
            ConsortiumDirectory pki = new ConsortiumDirectory(settings.dir().orElseThrow(() -> new IllegalStateException(
                    SiteTlsSettings.ENABLED + "=true needs " + SiteTlsSettings.DIR)));
            try {
                verifier = new SiteIdentityVerifier(Pem.readCertificate(pki.caCertificate()), pki.revocationList(),
                        pki.registry(), Clock.systemUTC());
            } catch (IOException e) {
                throw new UncheckedIOException("consortium CA of " + SiteTlsSettings.DIR + " is unreadable", e);
            }
        } else {
            verifier = null;
        }
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
                                                                 ServerCallHandler<ReqT, RespT> next) {
        if (!enabled) {
            return next.startCall(call, headers);
        }
        String method = call.getMethodDescriptor().getFullMethodName();
        SocketAddress peer = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
        SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        if (session == null) {
            return refuse(call, Status.UNAUTHENTICATED, "(none)", peer, method,
                    "no TLS session: " + SiteTlsSettings.ENABLED + " needs quarkus.grpc.server.plain-text=false");
        }
        X509Certificate[] chain;
        try {
            Certificate[] certificates = session.getPeerCertificates();
            chain = Arrays.stream(certificates).filter(X509Certificate.class::isInstance)
                    .map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
        } catch (SSLPeerUnverifiedException e) {
            return refuse(call, Status.UNAUTHENTICATED, "(none)", peer, method, "no client certificate presented");
        }
        SiteIdentity identity;
        try {
            identity = verifier.verify(chain);
        } catch (SiteRefusedException e) {
            String subject = chain.length == 0 ? "(none)" : chain[0].getSubjectX500Principal().getName();
            return refuse(call, Status.UNAUTHENTICATED, subject, peer, method, e.getMessage());
        }
        Optional<CertificateRevocations.Revocation> revoked = revocations.of(identity.serial());
        if (revoked.isPresent()) {
            CertificateRevocations.Revocation revocation = revoked.get();
            return refuse(call, Status.UNAUTHENTICATED, chain[0].getSubjectX500Principal().getName(), peer, method,
                    "revoked serial " + revocation.serial() + " on " + revocation.revokedAt().toInstant() + " by "
                            + revocation.revokedBy() + ": " + revocation.reason());
        }
        if (!JOIN.equals(method)) {
            return next.startCall(call, headers);
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("serial", Fingerprints.serial(identity.serial()));
        detail.put("fingerprint", identity.fingerprint());
        detail.put("not_after", identity.notAfter().toString());
        detail.put("protocol", session.getProtocol());
        detail.put("peer", String.valueOf(peer));
        auditLog.record(identity.site(), "participant.authenticated", identity.site(), detail);
        sites.authenticated(identity);
        LOG.infof("[%s] authenticated by certificate serial %s over %s from %s", identity.site(),
                detail.get("serial"), session.getProtocol(), peer);
        return new ClaimedNameCheck<>(next.startCall(call, headers), call, identity, peer);
    }

    private <ReqT, RespT> ServerCall.Listener<ReqT> refuse(ServerCall<ReqT, RespT> call, Status status, String subject,
                                                          SocketAddress peer, String method, String reason) {
        record(subject, peer, method, reason);
        call.close(status.withDescription(reason), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }

    private void record(String subject, SocketAddress peer, String method, String reason) {
        LOG.warnf("refused %s from %s (certificate %s): %s", method, peer, subject, reason);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reason", reason);
        detail.put("certificate", subject);
        detail.put("peer", String.valueOf(peer));
        detail.put("method", method);
        auditLog.record(subject, "participant.refused", subject, detail);
    }

    /** Refuses a Join whose get_properties_res names another site than the certificate does. */
    private final class ClaimedNameCheck<ReqT, RespT> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
        private final ServerCall<ReqT, RespT> call;
        private final SiteIdentity identity;
        private final SocketAddress peer;
        private boolean refused;

        ClaimedNameCheck(ServerCall.Listener<ReqT> delegate, ServerCall<ReqT, RespT> call, SiteIdentity identity,
                         SocketAddress peer) {
            super(delegate);
            this.call = call;
            this.identity = identity;
            this.peer = peer;
        }

        @Override
        public void onMessage(ReqT message) {
            if (refused) {
                return;
            }
            if (message instanceof ClientMessage answer && answer.hasGetPropertiesRes()) {
                Optional<String> claimed;
                try {
                    claimed = SiteProperties.from(answer.getGetPropertiesRes().getPropertiesMap())
                            .map(SiteProperties::site);
                } catch (IllegalArgumentException e) {
                    claimed = Optional.empty(); // the registry refuses malformed properties with their reason
                }
                if (claimed.isPresent() && !claimed.get().equals(identity.site())) {
                    refused = true;
                    String reason = "site claims to be \"" + claimed.get() + "\" but its certificate names \""
                            + identity.site() + "\"";
                    record(identity.site(), peer, JOIN, reason);
                    call.close(Status.PERMISSION_DENIED.withDescription(reason), new Metadata());
                    super.onCancel();
                    return;
                }
            }
            super.onMessage(message);
        }

        @Override
        public void onHalfClose() {
            if (!refused) {
                super.onHalfClose();
            }
        }

        @Override
        public void onCancel() {
            if (!refused) {
                super.onCancel();
            }
        }

        @Override
        public void onComplete() {
            if (!refused) {
                super.onComplete();
            }
        }
    }
}
