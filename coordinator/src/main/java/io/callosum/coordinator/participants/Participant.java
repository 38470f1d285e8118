package io.callosum.coordinator.participants;

import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.tensor.Modality;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One {@code Join} stream, seen from the coordinator. Flower keeps exactly one instruction outstanding per stream,
 * so {@link #ask} hands out one future at a time and the participant's next message completes it. The stream is
 * written to from the round engine and from gRPC threads, so every write holds this object's lock.
 */
public final class Participant implements StreamObserver<ClientMessage> {
    private static final Logger LOG = Logger.getLogger(Participant.class);
    private static final ServerMessage END_OF_RUN = ServerMessage.newBuilder()
            .setReconnectIns(ServerMessage.ReconnectIns.getDefaultInstance()).build();

    private final String stream;
    private final ListenerKind listener;
    private final StreamObserver<ServerMessage> toClient;
    private final Consumer<Participant> onLeave;
    private volatile SiteProperties site;
    private CompletableFuture<ClientMessage> outstanding;
    private boolean ended;
    private boolean gone;

    Participant(String stream, ListenerKind listener, StreamObserver<ServerMessage> toClient,
                Consumer<Participant> onLeave) {
        this.stream = stream;
        this.listener = listener;
        this.toClient = toClient;
        this.onLeave = onLeave;
    }

    /** The site's name once it identified itself, else the stream's own id (a plain Flower participant). */
    public String name() {
        SiteProperties properties = site;
        return properties == null ? stream : properties.site();
    }

    public ListenerKind listener() {
        return listener;
    }

    public Optional<SiteProperties> site() {
        return Optional.ofNullable(site);
    }

    /** The modalities whose tensors this participant trains; a plain participant trains the whole plain model. */
    public Set<Modality> modalities() {
        SiteProperties properties = site;
        return properties == null ? Set.of(Modality.PLAIN) : properties.modalities();
    }

    void identify(SiteProperties properties) {
        site = properties;
    }

    public synchronized boolean idle() {
        return outstanding == null && !gone && !ended;
    }

    public synchronized boolean connected() {
        return !gone && !ended;
    }

    /** Sends an instruction; the future completes with the participant's answer or fails when it leaves. */
    public synchronized CompletableFuture<ClientMessage> ask(ServerMessage instruction) {
        if (gone || ended) {
            return CompletableFuture.failedFuture(new ParticipantGoneException(name() + " is no longer connected"));
        }
        if (outstanding != null) {
            throw new IllegalStateException(name() + " has not answered its previous instruction yet");
        }
        CompletableFuture<ClientMessage> answer = new CompletableFuture<>();
        outstanding = answer;
        try {
            toClient.onNext(instruction);
        } catch (RuntimeException e) {
            outstanding = null;
            answer.completeExceptionally(new ParticipantGoneException(name() + " could not be sent "
                    + instruction.getMsgCase().name().toLowerCase() + ": " + e.getMessage()));
        }
        return answer;
    }

    /** Ends the run the way Flower's server does, with {@code ReconnectIns}; never waits for {@code DisconnectRes}. */
    public void endRun() {
        synchronized (this) {
            if (gone || ended) {
                return;
            }
            ended = true;
            try {
                toClient.onNext(END_OF_RUN);
                toClient.onCompleted();
            } catch (RuntimeException e) {
                LOG.debugf("[%s] stream already closed while ending the run: %s", name(), e.getMessage());
            }
        }
        leave("run ended by the coordinator");
    }

    /** Ends the stream with an error status that tells the participant what it did wrong. */
    public void refuse(Status status, String reason) {
        CompletableFuture<ClientMessage> pending;
        synchronized (this) {
            if (gone || ended) {
                return;
            }
            ended = true;
            pending = outstanding;
            outstanding = null;
            try {
                toClient.onError(status.withDescription(reason).asRuntimeException());
            } catch (RuntimeException e) {
                LOG.debugf("[%s] stream already closed while refusing it: %s", name(), e.getMessage());
            }
        }
        if (pending != null) {
            pending.completeExceptionally(new ParticipantGoneException(name() + " was refused: " + reason));
        }
        leave("refused: " + reason);
    }

    @Override
    public void onNext(ClientMessage message) {
        if (message.hasDisconnectRes()) {
            leave("disconnected: " + message.getDisconnectRes().getReason());
            return;
        }
        CompletableFuture<ClientMessage> pending;
        synchronized (this) {
            if (ended) {
                return;
            }
            pending = outstanding;
            outstanding = null;
        }
        if (pending == null) {
            refuse(Status.FAILED_PRECONDITION, "sent " + message.getMsgCase().name().toLowerCase()
                    + " without an instruction to answer");
            return;
        }
        pending.complete(message);
    }

    @Override
    public void onError(Throwable error) {
        Status status = Status.fromThrowable(error);
        LOG.debugf("[%s] stream closed: %s", name(), status);
        leave("stream closed: " + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription()));
    }

    @Override
    public void onCompleted() {
        synchronized (this) {
            if (!ended) {
                ended = true;
                toClient.onCompleted();
            }
        }
        leave("stream completed by the participant");
    }

    private void leave(String how) {
        CompletableFuture<ClientMessage> pending;
        synchronized (this) {
            if (gone) {
                return;
            }
            gone = true;
            pending = outstanding;
            outstanding = null;
        }
        if (pending != null) {
            pending.completeExceptionally(new ParticipantGoneException(name() + " left before answering ("
                    + how + ")"));
        }
        onLeave.accept(this);
    }

    @Override
    public String toString() {
        return name() + " (" + listener.name().toLowerCase() + " listener)";
    }
}
