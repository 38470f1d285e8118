package io.callosum.protocol.flower;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.callosum.protocol.SharedTestData;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Code;
import io.callosum.protocol.flower.proto.Transport.Reason;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The messages a real Flower 1.19 client and server exchanged, decoded and re-encoded to the same bytes. */
class FlowerWireTest {
    private static final Path DIR = SharedTestData.dir("flower-wire");

    static List<Named<JsonNode>> captures() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        return StreamSupport.stream(manifest.get("files").spliterator(), false)
                .map(entry -> Named.of(entry.get("file").asText(), entry))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void decodesAndReencodesEachCaptureToTheSameBytes(JsonNode entry) throws IOException {
        byte[] wire = Files.readAllBytes(DIR.resolve(entry.get("file").asText()));
        Message message = parse(entry.get("wrapper").asText(), wire);

        String oneof = message instanceof ClientMessage client
                ? client.getMsgCase().name() : ((ServerMessage) message).getMsgCase().name();
        assertEquals(entry.get("oneof").asText().toUpperCase(), oneof);
        assertTrue(message.getUnknownFields().asMap().isEmpty(), "no field left unknown");
        assertArrayEquals(wire, message.toByteArray());
    }

    @Test
    void readsTheClientsEvaluateResult() throws IOException {
        ClientMessage.EvaluateRes res = client("client_evaluate_res.bin").getEvaluateRes();

        assertEquals(Code.OK, res.getStatus().getCode());
        assertEquals("Success", res.getStatus().getMessage());
        assertEquals(4.21800422668457f, res.getLoss());
        assertEquals(10, res.getNumExamples());
        assertEquals(0.5, res.getMetricsOrThrow("accuracy").getDouble());
        assertEquals(Scalar.ScalarCase.SINT64, res.getMetricsOrThrow("client_id").getScalarCase());
    }

    @Test
    void readsEveryScalarKindTheServerSends() throws IOException {
        Map<String, Scalar> config = server("server_fit_ins.bin").getFitIns().getConfigMap();

        assertEquals("9223372036854775809", Long.toUnsignedString(config.get("big").getUint64()));
        assertEquals(1, config.get("local_epochs").getSint64());
        assertEquals(0.125, config.get("lr").getDouble());
        assertEquals("sgd", config.get("optimizer").getString());
        assertFalse(config.get("proximal").getBool());
        assertEquals(Scalar.ScalarCase.BOOL, config.get("proximal").getScalarCase());
        assertEquals(ByteString.fromHex("010203"), config.get("token").getBytes());
    }

    @Test
    void readsTheStockClientsTensorsWithoutAManifest() throws IOException {
        ClientMessage.FitRes res = client("client_fit_res.bin").getFitRes();

        List<NpyArray> arrays = FlowerParameters.decodeArrays(res.getParameters());

        assertEquals(FlowerParameters.TENSOR_TYPE, res.getParameters().getTensorType());
        assertEquals(List.of(Shape.of(4, 3), Shape.of(10), Shape.of(2, 2, 2)),
                arrays.stream().map(NpyArray::shape).toList());
        assertTrue(FlowerParameters.manifestIn(res.getMetricsMap()).isEmpty());
        assertEquals(-7, res.getMetricsOrThrow("negative").getSint64());
    }

    @Test
    void writesTheEndOfRunMessagesAsFlowerDoes() {
        ServerMessage reconnect = ServerMessage.newBuilder()
                .setReconnectIns(ServerMessage.ReconnectIns.getDefaultInstance()).build();
        ServerMessage getParameters = ServerMessage.newBuilder()
                .setGetParametersIns(ServerMessage.GetParametersIns.getDefaultInstance()).build();
        ClientMessage disconnect = ClientMessage.newBuilder()
                .setDisconnectRes(ClientMessage.DisconnectRes.newBuilder().setReason(Reason.RECONNECT)).build();

        assertEquals("0a00", HexFormat.of().formatHex(reconnect.toByteArray()));
        assertEquals("1a00", HexFormat.of().formatHex(getParameters.toByteArray()));
        assertEquals("0a020801", HexFormat.of().formatHex(disconnect.toByteArray()));
    }

    private static ClientMessage client(String file) throws IOException {
        return ClientMessage.parseFrom(Files.readAllBytes(DIR.resolve(file)));
    }

    private static ServerMessage server(String file) throws IOException {
        return ServerMessage.parseFrom(Files.readAllBytes(DIR.resolve(file)));
    }

    private static Message parse(String wrapper, byte[] wire) throws InvalidProtocolBufferException {
        return switch (wrapper) {
            case "flwr.proto.ClientMessage" -> ClientMessage.parseFrom(wire);
            case "flwr.proto.ServerMessage" -> ServerMessage.parseFrom(wire);
            default -> throw new IllegalArgumentException("unknown wrapper " + wrapper);
        };
    }
}
