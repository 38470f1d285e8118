package io.callosum.coordinator.flower;

import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Does on the wire what a stock Flower grpc-bidi client does: opens {@code Join}, sends nothing until
 * the server speaks, answers one instruction at a time.
 */
final class FlowerTestClient implements AutoCloseable {
    /** What the server sent: a message, the end of its stream, or the status it failed the stream with. */
    sealed interface Event permits Received, Completed, Failed {
    }

    record Received(ServerMessage message) implements Event {
    }

    record Completed() implements Event {
    }

    record Failed(Status status) implements Event {
    }

    private final ManagedChannel channel;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StreamObserver<ClientMessage> toServer;

    FlowerTestClient(int port) {
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext()
                .maxInboundMessageSize(Integer.MAX_VALUE).build();
        toServer = FlowerServiceGrpc.newStub(channel).join(new StreamObserver<>() {
            @Override
            public void onNext(ServerMessage message) {
                events.add(new Received(message));
            }

            @Override
            public void onError(Throwable error) {
                events.add(new Failed(Status.fromThrowable(error)));
            }

            @Override
            public void onCompleted() {
                events.add(new Completed());
            }
        });
    }

    Event next() throws InterruptedException {
        Event event = events.poll(30, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("the server sent nothing within 30 s");
        }
        return event;
    }

    ServerMessage nextMessage() throws InterruptedException {
        Event event = next();
        if (event instanceof Received received) {
            return received.message();
        }
        throw new AssertionError("expected a server message, got " + event);
    }

    void send(ClientMessage message) {
        toServer.onNext(message);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
