package io.callosum.coordinator.tls;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.quarkus.runtime.ExecutionMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * With {@code callosum.tls.enabled=true}, supplies the separate gRPC server's {@code quarkus.grpc.server.ssl.*}
 * from the provisioned consortium directory {@code callosum.tls.dir}: the coordinator's certificate and key, client
 * certificates required, TLS 1.3 only, no plain text (the handshake's trust is {@link SiteTlsServerCustomizer}'s). The ordinal is low, so
 * explicitly set {@code quarkus.grpc.server.ssl.*} properties or environment variables still win.
 */
public class SiteTlsConfigSourceFactory implements ConfigSourceFactory {
    private static final int ORDINAL = 10;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ExecutionMode mode = ExecutionMode.current();
        if (mode != ExecutionMode.RUNTIME_INIT && mode != ExecutionMode.RUNNING) {
            return List.of();
        }
        ConfigValue enabled = context.getValue(SiteTlsSettings.ENABLED);
        if (enabled == null || enabled.getValue() == null || !Boolean.parseBoolean(enabled.getValue().trim())) {
            return List.of();
        }
        ConfigValue dir = context.getValue(SiteTlsSettings.DIR);
        if (dir == null || dir.getValue() == null || dir.getValue().isBlank()) {
            throw new IllegalStateException(SiteTlsSettings.ENABLED + "=true needs " + SiteTlsSettings.DIR
                    + ", a directory written by ./callosum provision (sites join over mTLS by default; a local trial"
                    + " without certificates sets " + SiteTlsSettings.ENABLED + "=false and"
                    + " callosum.federation.secure-aggregation.enabled=false)");
        }
        return List.of(new MapBackedConfigSource("callosum-site-tls", properties(Path.of(dir.getValue().trim())),
                ORDINAL) {
        });
    }

    static Map<String, String> properties(Path dir) {
        ConsortiumDirectory pki = new ConsortiumDirectory(dir);
        for (Path required : List.of(pki.caCertificate(), pki.coordinatorCertificate(), pki.coordinatorKey(),
                pki.revocationList(), pki.registry())) {
            if (!Files.isReadable(required)) {
                throw new IllegalStateException(SiteTlsSettings.DIR + "=" + dir + " lacks " + required.getFileName()
                        + "; provision it with ./callosum provision --out " + dir);
            }
        }
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("quarkus.grpc.server.plain-text", "false");
        properties.put("quarkus.grpc.server.ssl.certificate", pki.coordinatorCertificate().toString());
        properties.put("quarkus.grpc.server.ssl.key", pki.coordinatorKey().toString());
        // No trust store: SiteTlsServerCustomizer installs the consortium CA as the handshake's trust, which
        // leaves expiry and revocation to SiteIdentityInterceptor so that their refusals carry a reason.
        properties.put("quarkus.grpc.server.ssl.client-auth", "REQUIRED");
        properties.put("quarkus.grpc.server.ssl.protocols", "TLSv1.3");
        return properties;
    }
}
