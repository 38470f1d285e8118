package io.callosum.coordinator.flower;

import io.callosum.coordinator.participants.ListenerKind;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;

/**
 * A second gRPC server for stock Flower clients. Quarkus serves one gRPC server, and the main one will require
 * client certificates, so plain participants get their own port, named as such in every log line and audit entry.
 */
@ApplicationScoped
public class PlainFlowerListener {
    private static final Logger LOG = Logger.getLogger(PlainFlowerListener.class);

    private final PlainFlowerSettings settings;
    private final ParticipantRegistry participants;
    private Server server;

    public PlainFlowerListener(PlainFlowerSettings settings, ParticipantRegistry participants) {
        this.settings = settings;
        this.participants = participants;
    }

    void start(@Observes StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        FlowerServiceGrpc.FlowerServiceImplBase join = new FlowerServiceGrpc.FlowerServiceImplBase() {
            @Override
            public StreamObserver<ClientMessage> join(StreamObserver<ServerMessage> toClient) {
                return participants.join(ListenerKind.PLAIN, toClient);
            }
        };
        try {
            server = ServerBuilder.forPort(settings.port()).addService(join)
                    .maxInboundMessageSize(settings.maxInboundMessageSize()).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("plain Flower listener could not bind port " + settings.port(), e);
        }
        LOG.infof("Plain Flower listener on port %d (stock Flower clients, no client certificates)", server.getPort());
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        if (server != null) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** The bound port, or -1 when the listener is off. */
    public int port() {
        return server == null ? -1 : server.getPort();
    }
}
