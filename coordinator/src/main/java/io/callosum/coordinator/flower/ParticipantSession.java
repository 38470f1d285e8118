package io.callosum.coordinator.flower;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.ParametersFormatException;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.npy.NpyArray;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One participant's {@code Join} stream. Flower's server speaks first and keeps exactly one instruction
 * outstanding; the run ends with {@code ReconnectIns}, after which the client closes without its
 * {@code DisconnectRes} ever arriving, so the session never waits for one.
 *
 * <p>Until the round engine drives it, a session asks the participant for its parameters, checks and
 * records them, and ends the run.
 */
final class ParticipantSession implements StreamObserver<ClientMessage> {
    private static final Logger LOG = Logger.getLogger(ParticipantSession.class);
    private static final ServerMessage GET_PARAMETERS = ServerMessage.newBuilder()
            .setGetParametersIns(ServerMessage.GetParametersIns.getDefaultInstance()).build();
    private static final ServerMessage END_OF_RUN = ServerMessage.newBuilder()
            .setReconnectIns(ServerMessage.ReconnectIns.getDefaultInstance()).build();

    private final String participant;
    private final StreamObserver<ServerMessage> toClient;
    private final AuditLog auditLog;
    private final FlowerMetrics metrics;
    private boolean ended;
    private boolean closed;

    ParticipantSession(String participant, StreamObserver<ServerMessage> toClient, AuditLog auditLog,
                       FlowerMetrics metrics) {
        this.participant = participant;
        this.toClient = toClient;
        this.auditLog = auditLog;
        this.metrics = metrics;
    }

    void open() {
        metrics.joined();
        LOG.infof("[participant %s] joined; asking for its parameters", participant);
        auditLog.record(participant, "participant.joined", participant, Map.of());
        toClient.onNext(GET_PARAMETERS);
    }

    @Override
    public void onNext(ClientMessage message) {
        if (ended) {
            LOG.debugf("[participant %s] ignoring %s after the end of the run", participant, message.getMsgCase());
            return;
        }
        switch (message.getMsgCase()) {
            case GET_PARAMETERS_RES -> receiveParameters(message.getGetParametersRes());
            case DISCONNECT_RES -> leave("disconnected: " + message.getDisconnectRes().getReason());
            default -> refuse(Status.FAILED_PRECONDITION, "expected get_parameters_res, got "
                    + message.getMsgCase().name().toLowerCase());
        }
    }

    @Override
    public void onError(Throwable error) {
        leave("stream closed: " + Status.fromThrowable(error).getCode());
    }

    @Override
    public void onCompleted() {
        leave("stream completed by the participant");
        if (!ended) {
            ended = true;
            toClient.onCompleted();
        }
    }

    private void receiveParameters(ClientMessage.GetParametersRes res) {
        if (res.getStatus().getCode() != Code.OK) {
            LOG.warnf("[participant %s] has no parameters to give: %s %s", participant,
                    res.getStatus().getCode(), res.getStatus().getMessage());
            auditLog.record(participant, "parameters.unavailable", participant,
                    Map.of("code", res.getStatus().getCode().name(), "message", res.getStatus().getMessage()));
            endRun();
            return;
        }
        List<NpyArray> arrays;
        try {
            arrays = FlowerParameters.decodeArrays(res.getParameters());
        } catch (ParametersFormatException e) {
            refuse(Status.INVALID_ARGUMENT, "get_parameters_res refused: " + e.getMessage());
            return;
        }
        long bytes = arrays.stream().mapToLong(NpyArray::byteSize).sum();
        metrics.parametersReceived(bytes);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("tensors", arrays.size());
        detail.put("bytes", bytes);
        detail.put("shapes", arrays.stream().map(a -> a.header().descr() + " " + a.shape()).toList());
        auditLog.record(participant, "parameters.received", participant, detail);
        LOG.infof("[participant %s] sent %d tensors (%d bytes); ending the run", participant, arrays.size(), bytes);
        endRun();
    }

    private void endRun() {
        ended = true;
        toClient.onNext(END_OF_RUN);
        toClient.onCompleted();
    }

    private void refuse(Status status, String reason) {
        metrics.refused();
        LOG.warnf("[participant %s] refused: %s", participant, reason);
        auditLog.record(participant, "participant.refused", participant, Map.of("reason", reason));
        ended = true;
        toClient.onError(status.withDescription(reason).asRuntimeException());
    }

    private void leave(String how) {
        if (closed) {
            return;
        }
        closed = true;
        if (!ended) {
            LOG.infof("[participant %s] left before the end of the run (%s)", participant, how);
            auditLog.record(participant, "participant.left", participant, Map.of("how", how));
        }
        metrics.left();
    }
}
