package io.callosum.coordinator.flower;

import com.google.protobuf.ByteString;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.flower.proto.Transport.Status;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real gRPC {@code Join} stream, driven as a stock Flower client drives it. */
@QuarkusTest
class FlowerJoinTest {
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int grpcPort;

    @Inject
    AuditLog auditLog;

    @Test
    void speaksFirstAcceptsAMessageAboveFourMebibytesAndEndsWithReconnect() throws Exception {
        float[] weights = new float[1500 * 1000];
        weights[weights.length - 1] = 42f;
        Parameters parameters = Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE)
                .addTensors(ByteString.copyFrom(NpyCodec.encode(NpyArray.ofFloats(Shape.of(1500, 1000), weights))))
                .addTensors(ByteString.copyFrom(NpyCodec.encode(NpyArray.ofFloats(Shape.of(10), new float[10]))))
                .build();

        try (FlowerTestClient client = new FlowerTestClient(grpcPort)) {
            ServerMessage first = client.nextMessage();
            assertEquals(ServerMessage.MsgCase.GET_PARAMETERS_INS, first.getMsgCase());
            assertEquals(0, first.getGetParametersIns().getConfigCount());

            client.send(ClientMessage.newBuilder().setGetParametersRes(ClientMessage.GetParametersRes.newBuilder()
                    .setStatus(Status.newBuilder().setCode(Code.OK).setMessage("Success"))
                    .setParameters(parameters)).build());

            ServerMessage last = client.nextMessage();
            assertEquals(ServerMessage.MsgCase.RECONNECT_INS, last.getMsgCase());
            assertEquals("0a00", HexFormat.of().formatHex(last.toByteArray()));
            assertInstanceOf(FlowerTestClient.Completed.class, client.next());
        }

        AuditEntry received = auditLog.latest(20, null).stream()
                .filter(e -> e.action().equals("parameters.received")).findFirst().orElseThrow();
        assertEquals(2, received.detail().get("tensors").asInt());
        assertEquals(6_000_040, received.detail().get("bytes").asLong());
        assertEquals("<f4 (1500, 1000)", received.detail().get("shapes").get(0).asText());
    }

    @Test
    void refusesCorruptTensorsNamingTheTensorAndRecordsIt() throws Exception {
        Parameters corrupt = Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE)
                .addTensors(ByteString.copyFrom(NpyCodec.encode(NpyArray.ofFloats(Shape.of(2), 1f, 2f))))
                .addTensors(ByteString.copyFromUtf8("\u0093NUMPY not really"))
                .build();

        try (FlowerTestClient client = new FlowerTestClient(grpcPort)) {
            client.nextMessage();
            client.send(ClientMessage.newBuilder().setGetParametersRes(ClientMessage.GetParametersRes.newBuilder()
                    .setParameters(corrupt)).build());

            FlowerTestClient.Failed failed = assertInstanceOf(FlowerTestClient.Failed.class, client.next());
            assertEquals(io.grpc.Status.Code.INVALID_ARGUMENT, failed.status().getCode());
            assertTrue(failed.status().getDescription().contains("tensor #1 of 2"), failed.status().getDescription());
        }

        List<AuditEntry> entries = auditLog.latest(20, null);
        AuditEntry refusal = entries.stream().filter(e -> e.action().equals("participant.refused")).findFirst()
                .orElseThrow();
        assertTrue(refusal.detail().get("reason").asText().contains("tensor #1 of 2"));
    }

    @Test
    void refusesAnAnswerToAQuestionItDidNotAsk() throws Exception {
        try (FlowerTestClient client = new FlowerTestClient(grpcPort)) {
            client.nextMessage();
            client.send(ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.getDefaultInstance()).build());

            FlowerTestClient.Failed failed = assertInstanceOf(FlowerTestClient.Failed.class, client.next());
            assertEquals(io.grpc.Status.Code.FAILED_PRECONDITION, failed.status().getCode());
            assertEquals("expected get_parameters_res, got fit_res", failed.status().getDescription());
        }
    }
}
