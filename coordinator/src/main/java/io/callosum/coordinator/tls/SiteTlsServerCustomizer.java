package io.callosum.coordinator.tls;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Pem;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.core.net.TrustOptions;
import io.vertx.grpc.VertxServerBuilder;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * With {@code callosum.tls.enabled}, makes the separate gRPC server's handshake trust the consortium CA's signature
 * only ({@link ConsortiumCaTrustManager}), so that an expired, revoked or unregistered site certificate reaches
 * {@link SiteIdentityInterceptor} and is refused there with its reason. Quarkus applies its own
 * {@code quarkus.grpc.server.ssl.*} after this; an explicitly configured {@code .trust-store} replaces this trust.
 */
@ApplicationScoped
public class SiteTlsServerCustomizer implements ServerBuilderCustomizer<VertxServerBuilder> {
    private final SiteTlsSettings settings;

    public SiteTlsServerCustomizer(SiteTlsSettings settings) {
        this.settings = settings;
    }

    @Override
    public void customize(GrpcServerConfiguration config, VertxServerBuilder builder) {
        if (!settings.enabled() || settings.dir().isEmpty()) {
            return;
        }
        ConsortiumDirectory pki = new ConsortiumDirectory(settings.dir().get());
        ConsortiumCaTrustManager trust;
        try {
            trust = new ConsortiumCaTrustManager(Pem.readCertificate(pki.caCertificate()));
        } catch (IOException e) {
            throw new UncheckedIOException("consortium CA of " + SiteTlsSettings.DIR + " is unreadable", e);
        }
        builder.useSsl(options -> options.setTrustOptions(TrustOptions.wrap(trust)));
    }
}
