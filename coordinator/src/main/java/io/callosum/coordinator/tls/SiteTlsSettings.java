package io.callosum.coordinator.tls;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/**
 * mTLS on the site listener ({@code quarkus.grpc.server.port}), on by default. When enabled, {@code dir} is a
 * consortium directory written by {@code ./callosum provision}; the gRPC server's TLS settings are derived from it
 * ({@link SiteTlsConfigSourceFactory}) and every call is checked by {@link SiteIdentityInterceptor}.
 */
@ConfigMapping(prefix = "callosum.tls")
public interface SiteTlsSettings {
    String ENABLED = "callosum.tls.enabled";
    String DIR = "callosum.tls.dir";

    @WithDefault("true")
    boolean enabled();

    Optional<Path> dir();
}
