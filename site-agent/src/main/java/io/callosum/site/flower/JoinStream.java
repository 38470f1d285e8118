package io.callosum.site.flower;

import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Reason;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

/**
 * One {@code Join} stream from the site's side, behaving as a Flower client: it answers one instruction at a time
 * (on the agent's worker thread, since training takes minutes) and, on {@code ReconnectIns}, says
 * {@code DisconnectRes} and closes.
 */
final class JoinStream implements StreamObserver<ServerMessage> {
    private static final Logger LOG = LoggerFactory.getLogger(JoinStream.class);

    /** How a stream ended: the coordinator's {@code ReconnectIns} seconds, or the reason it broke. */
    record End(Optional<Long> reconnectSeconds, boolean served, String reason) {
    }

    private final String site;
    private final SiteInstructions instructions;
    private final Executor worker;
    private final CompletableFuture<End> end = new CompletableFuture<>();
    private volatile StreamObserver<ClientMessage> toServer;
    private volatile boolean served;

    JoinStream(String site, SiteInstructions instructions, Executor worker) {
        this.site = site;
        this.instructions = instructions;
        this.worker = worker;
    }

    void attach(StreamObserver<ClientMessage> toServer) {
        this.toServer = toServer;
    }

    End awaitEnd() throws InterruptedException {
        try {
            return end.get();
        } catch (ExecutionException e) {
            return new End(Optional.empty(), served, e.getCause().getMessage());
        }
    }

    @Override
    public void onNext(ServerMessage message) {
        if (message.hasReconnectIns()) {
            toServer.onNext(ClientMessage.newBuilder().setDisconnectRes(ClientMessage.DisconnectRes.newBuilder()
                    .setReason(Reason.RECONNECT)).build());
            toServer.onCompleted();
            end.complete(new End(Optional.of(message.getReconnectIns().getSeconds()), served, "reconnect_ins"));
            return;
        }
        worker.execute(() -> {
            try {
                ClientMessage answer = instructions.answer(message);
                synchronized (this) {
                    toServer.onNext(answer);
                }
                served = true;
            } catch (RuntimeException e) {
                LOG.error("[{}] could not answer {}: {}", site, message.getMsgCase().name().toLowerCase(),
                        e.getMessage(), e);
                toServer.onError(Status.INTERNAL.withDescription(e.getMessage()).asRuntimeException());
                end.complete(new End(Optional.empty(), served, "failed: " + e.getMessage()));
            }
        });
    }

    @Override
    public void onError(Throwable error) {
        end.complete(new End(Optional.empty(), served, Status.fromThrowable(error).toString()));
    }

    @Override
    public void onCompleted() {
        end.complete(new End(Optional.empty(), served, "closed by the coordinator without reconnect_ins"));
    }
}
