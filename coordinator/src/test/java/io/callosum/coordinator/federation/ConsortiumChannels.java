package io.callosum.coordinator.federation;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.IssuedCertificate;
import io.callosum.protocol.pki.Pem;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** mTLS channels to the coordinator's site listener, as the sites of a provisioned consortium open them. */
record ConsortiumChannels(Path dir, int port) {

    ManagedChannel channel(IssuedCertificate site) throws IOException {
        ChannelCredentials credentials = TlsChannelCredentials.newBuilder()
                .keyManager(pem(Pem.encode(site.certificate())), pem(Pem.encode(site.privateKey())))
                .trustManager(Files.newInputStream(new ConsortiumDirectory(dir).caCertificate()))
                .build();
        return Grpc.newChannelBuilderForAddress("localhost", port, credentials).build();
    }

    ManagedChannel channel(String site) throws IOException {
        return channel(provisioned(site));
    }

    IssuedCertificate provisioned(String site) throws IOException {
        ConsortiumDirectory pki = new ConsortiumDirectory(dir);
        return new IssuedCertificate(Pem.readCertificate(pki.siteCertificate(site)),
                Pem.readPrivateKey(pki.siteKey(site)));
    }

    private static InputStream pem(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
    }
}
