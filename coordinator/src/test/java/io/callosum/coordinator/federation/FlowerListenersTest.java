package io.callosum.coordinator.federation;

import com.google.protobuf.ByteString;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.federation.SiteProperties;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.grpc.Status;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who may join where: stock Flower clients through the plain listener, Callosum site agents through the main one. */
@QuarkusTest
class FlowerListenersTest extends FederationTestBase {
    @ConfigProperty(name = "callosum.flower.plain-listener.port")
    int plainPort;

    @Test
    void stockFlowerClientsCompleteAFedAvgFederationOverPlainTensors() throws Exception {
        try (ScriptedParticipant first = new ScriptedParticipant(plainPort, numpyClient(1f, 10));
             ScriptedParticipant second = new ScriptedParticipant(plainPort, numpyClient(4f, 30))) {
            awaitConnected(participants, 2);
            FederationPlan plan = plan("plain", FederationKind.PLAIN, 3, 2, Duration.ofSeconds(30), 1);
            StoredFederation federation = federations.start(plan);
            assertTrue(federations.awaitFinished(plan.name(), Duration.ofSeconds(60)));

            assertEquals("completed", records.find(plan.name()).orElseThrow().status());
            List<ModelVersion> versions = models.versions(federation.id());
            assertEquals(4, versions.size());
            float step = (10 * 1f + 30 * 4f) / 40;
            float[] last = models.tensors(versions.get(3)).get("plain/0").orElseThrow().array().toFloatArray();
            assertArrayEquals(new float[] {3 * step, 1 + 3 * step, 2 + 3 * step}, last, 1e-5f);

            for (ScriptedParticipant client : List.of(first, second)) {
                ScriptedParticipant.Ending ending = client.awaitEnding(10);
                assertTrue(ending.reconnect(), "the run ends with ReconnectIns");
                ServerMessage reconnect = client.received().get(client.received().size() - 1);
                assertEquals("0a00", HexFormat.of().formatHex(reconnect.toByteArray()));
                ServerMessage firstMessage = client.received().get(0);
                assertTrue(firstMessage.hasGetPropertiesIns(), "the server speaks first");
                assertTrue(client.received().stream().filter(ServerMessage::hasFitIns)
                        .allMatch(m -> m.getFitIns().getParameters().getTensorType().equals("numpy.ndarray")));
            }
        }
    }

    @Test
    void theSitesListenerRefusesAStockFlowerClientWithAClearReason() throws Exception {
        try (ScriptedParticipant stock = new ScriptedParticipant(port, numpyClient(0f, 1))) {
            ScriptedParticipant.Ending ending = stock.awaitEnding(10);
            assertFalse(ending.reconnect());
            assertEquals(Status.Code.PERMISSION_DENIED, ending.status().getCode());
            assertTrue(ending.status().getDescription().contains("plain listener"), ending.status().getDescription());
        }
        assertTrue(auditLog.latest(20, null).stream().anyMatch(e -> e.action().equals("participant.refused")));
    }

    @Test
    void aSiteWithAnUnusableNameIsRefusedNamingIt() throws Exception {
        ScriptedParticipant.Behaviour badName = instruction -> ClientMessage.newBuilder().setGetPropertiesRes(
                ClientMessage.GetPropertiesRes.newBuilder().setStatus(ScriptedSite.SUCCESS).putAllProperties(
                        new SiteProperties("Bad Name!", Map.of(Modality.OMICS, 3)).toProperties())).build();
        try (ScriptedParticipant site = new ScriptedParticipant(port, badName)) {
            ScriptedParticipant.Ending ending = site.awaitEnding(10);
            assertEquals(Status.Code.PERMISSION_DENIED, ending.status().getCode());
            assertTrue(ending.status().getDescription().contains("'Bad Name!'"), ending.status().getDescription());
        }
    }

    /**
     * What an unmodified Flower NumPyClient does on the wire: empty properties, its arrays as .npy bytes with
     * tensor_type numpy.ndarray, config ignored; its training adds {@code delta} to every weight.
     */
    private static ScriptedParticipant.Behaviour numpyClient(float delta, long examples) {
        return instruction -> switch (instruction.getMsgCase()) {
            case GET_PROPERTIES_INS -> ClientMessage.newBuilder().setGetPropertiesRes(
                    ClientMessage.GetPropertiesRes.newBuilder().setStatus(ScriptedSite.SUCCESS)).build();
            case GET_PARAMETERS_INS -> ClientMessage.newBuilder().setGetParametersRes(
                    ClientMessage.GetParametersRes.newBuilder().setStatus(ScriptedSite.SUCCESS)
                            .setParameters(arrays(new float[] {0f, 1f, 2f}))).build();
            case FIT_INS -> {
                float[] weights = FlowerParameters.decodeArrays(instruction.getFitIns().getParameters()).get(0)
                        .toFloatArray();
                for (int i = 0; i < weights.length; i++) {
                    weights[i] += delta;
                }
                yield ClientMessage.newBuilder().setFitRes(ClientMessage.FitRes.newBuilder()
                        .setStatus(ScriptedSite.SUCCESS).setParameters(arrays(weights)).setNumExamples(examples))
                        .build();
            }
            case EVALUATE_INS -> ClientMessage.newBuilder().setEvaluateRes(ClientMessage.EvaluateRes.newBuilder()
                    .setStatus(ScriptedSite.SUCCESS).setLoss(0.25f).setNumExamples(examples)).build();
            default -> throw new IllegalStateException("unexpected " + instruction.getMsgCase());
        };
    }

    private static Parameters arrays(float[] weights) {
        return Parameters.newBuilder().setTensorType("numpy.ndarray").addTensors(ByteString.copyFrom(
                NpyCodec.encode(NpyArray.ofFloats(Shape.of(weights.length), weights)))).build();
    }
}
