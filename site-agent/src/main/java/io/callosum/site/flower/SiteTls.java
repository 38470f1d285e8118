package io.callosum.site.flower;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The PEM files a site dials the coordinator's mTLS listener with: the consortium CA (to check the coordinator), and
 * this site's certificate and private key (to be checked by it), as {@code ./callosum provision} issued them.
 */
public record SiteTls(Path caCertificate, Path certificate, Path key) {
    public SiteTls {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    /**
     * A site's files in a directory: {@code ca.crt} and {@code NAME.crt}/{@code NAME.key}, either beside it or under
     * {@code sites/} as in the consortium directory {@code ./callosum provision} writes.
     */
    public static SiteTls fromDirectory(Path dir, String site) {
        Path sites = dir.resolve("sites");
        Path base = Files.exists(sites.resolve(site + ".crt")) ? sites : dir;
        return new SiteTls(dir.resolve("ca.crt"), base.resolve(site + ".crt"), base.resolve(site + ".key"));
    }

    /** Credentials for grpc-java: TLS 1.3/1.2 as negotiated, the server checked against the CA, this site's key offered. */
    public ChannelCredentials credentials() {
        for (Path file : List.of(caCertificate, certificate, key)) {
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("TLS file " + file + " is missing or unreadable");
            }
        }
        try {
            return TlsChannelCredentials.newBuilder().keyManager(certificate.toFile(), key.toFile())
                    .trustManager(caCertificate.toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("TLS files of this site are unreadable", e);
        }
    }
}
