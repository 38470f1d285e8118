package io.callosum.coordinator.flower;

import io.callosum.coordinator.participants.ListenerKind;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/**
 * {@code flwr.proto.FlowerService/Join} on the coordinator's main listener, where Callosum site agents connect.
 * Each stream is one participant; the registry asks it who it is before any round may use it.
 */
@GrpcService
public class FlowerJoinService extends FlowerServiceGrpc.FlowerServiceImplBase {
    private final ParticipantRegistry participants;

    public FlowerJoinService(ParticipantRegistry participants) {
        this.participants = participants;
    }

    @Override
    @Blocking
    public StreamObserver<ClientMessage> join(StreamObserver<ServerMessage> toClient) {
        return participants.join(ListenerKind.SITES, toClient);
    }
}
