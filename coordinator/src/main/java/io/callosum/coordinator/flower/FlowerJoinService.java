package io.callosum.coordinator.flower;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.util.UUID;

/**
 * {@code flwr.proto.FlowerService/Join}: the endpoint Flower clients and Callosum site agents connect to.
 * Each stream is one anonymous participant, named here as Flower's server names it, by a random id.
 */
@GrpcService
public class FlowerJoinService extends FlowerServiceGrpc.FlowerServiceImplBase {
    private final AuditLog auditLog;
    private final FlowerMetrics metrics;

    public FlowerJoinService(AuditLog auditLog, FlowerMetrics metrics) {
        this.auditLog = auditLog;
        this.metrics = metrics;
    }

    @Override
    @Blocking
    public StreamObserver<ClientMessage> join(StreamObserver<ServerMessage> toClient) {
        ParticipantSession session = new ParticipantSession("p-" + UUID.randomUUID().toString().substring(0, 8),
                toClient, auditLog, metrics);
        session.open();
        return session;
    }
}
