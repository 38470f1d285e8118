package io.callosum.coordinator.federation;

import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Reason;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A participant over real gRPC that behaves on the wire as a Flower grpc-bidi client: opens {@code Join}, waits
 * for the server to speak, answers one instruction at a time, and on {@code ReconnectIns} queues
 * {@code DisconnectRes} and closes. What it answers is scripted by a {@link Behaviour}.
 */
final class ScriptedParticipant implements AutoCloseable {
    /** The answer to an instruction; {@code null} makes the participant drop its connection instead. */
    interface Behaviour {
        ClientMessage answer(ServerMessage instruction) throws Exception;
    }

    /** How the stream ended: with the server's ReconnectIns, or with an error status. */
    record Ending(boolean reconnect, Status status) {
    }

    private final ManagedChannel channel;
    private final Behaviour behaviour;
    private final ExecutorService worker = Executors.newSingleThreadExecutor();
    private final List<ServerMessage> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Ending> ending = new CompletableFuture<>();
    private final StreamObserver<ClientMessage> toServer;

    ScriptedParticipant(int port, Behaviour behaviour) {
        this(port, behaviour, Integer.MAX_VALUE);
    }

    /** A participant that refuses any instruction larger than {@code maxInboundMessageSize}, as a site may. */
    ScriptedParticipant(int port, Behaviour behaviour, int maxInboundMessageSize) {
        this(ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(maxInboundMessageSize).build(), behaviour);
    }

    /** A participant on a channel built elsewhere, e.g. with TLS credentials. */
    ScriptedParticipant(ManagedChannel channel, Behaviour behaviour) {
        this.behaviour = behaviour;
        this.channel = channel;
        this.toServer = FlowerServiceGrpc.newStub(channel).join(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                received.add(message);
                if (message.hasReconnectIns()) {
                    send(ClientMessage.newBuilder().setDisconnectRes(ClientMessage.DisconnectRes.newBuilder()
                            .setReason(Reason.RECONNECT)).build());
                    ending.complete(new Ending(true, Status.OK));
                    channel.shutdownNow();
                    return;
                }
                worker.execute(() -> respond(message));
            }

            @Override
            public void onError(Throwable error) {
                ending.complete(new Ending(false, Status.fromThrowable(error)));
            }

            @Override
            public void onCompleted() {
                ending.complete(new Ending(false, Status.OK));
            }
        });
    }

    private void respond(ServerMessage message) {
        try {
            ClientMessage answer = behaviour.answer(message);
            if (answer == null) {
                channel.shutdownNow();
                ending.complete(new Ending(false, Status.CANCELLED));
                return;
            }
            send(answer);
        } catch (Exception e) {
            ending.completeExceptionally(e);
            channel.shutdownNow();
        }
    }

    private synchronized void send(ClientMessage message) {
        toServer.onNext(message);
    }

    List<ServerMessage> received() {
        return received;
    }

    Ending awaitEnding(long seconds) throws Exception {
        return ending.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
