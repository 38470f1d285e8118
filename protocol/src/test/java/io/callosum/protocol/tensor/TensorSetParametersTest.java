package io.callosum.protocol.tensor;

import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.ParametersFormatException;
import io.callosum.protocol.flower.proto.Transport.ClientMessage;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.ServerMessage;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorSetParametersTest {

    private static final TensorSet MODEL = TensorSet.of(List.of(
            new NamedTensor("imaging/patch_embed.weight", Modality.IMAGING,
                    NpyArray.ofFloats(Shape.of(2, 3), 1, 2, 3, 4, 5, 6)),
            new NamedTensor("eeg/channel_embed", Modality.EEG, NpyArray.ofFloats(Shape.of(4), -1, 0, 1, 2)),
            new NamedTensor("omics/group_index", Modality.OMICS, NpyArray.view(DType.INT64, Shape.of(2),
                    ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7).putLong(-7).flip())),
            new NamedTensor("shared/temperature", Modality.SHARED, NpyArray.ofFloats(Shape.of(), 0.07f))));

    @Test
    void roundTripsNamesModalitiesAndValuesThroughTheWire() throws Exception {
        ServerMessage sent = ServerMessage.newBuilder().setFitIns(ServerMessage.FitIns.newBuilder()
                .setParameters(FlowerParameters.encode(MODEL))
                .putConfig(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(MODEL.manifest()))).build();

        ServerMessage.FitIns received = ServerMessage.parseFrom(sent.toByteArray()).getFitIns();
        TensorManifest manifest = FlowerParameters.manifestIn(received.getConfigMap()).orElseThrow();
        TensorSet decoded = FlowerParameters.decode(received.getParameters(), manifest);

        assertEquals(MODEL.manifest(), decoded.manifest());
        for (NamedTensor tensor : MODEL) {
            NpyArray back = decoded.get(tensor.name()).orElseThrow().array();
            assertEquals(tensor.array().data(), back.data(), tensor.name());
        }
        assertEquals(0.07f, (float) decoded.get("shared/temperature").orElseThrow().array().getDouble(0));
        assertEquals(-7, decoded.get("omics/group_index").orElseThrow().array().getLong(1));
    }

    @Test
    void eachTensorIsExactlyWhatNumpySaveWouldWrite() {
        Parameters parameters = FlowerParameters.encode(MODEL);

        assertEquals("numpy.ndarray", parameters.getTensorType());
        assertEquals(MODEL.size(), parameters.getTensorsCount());
        int i = 0;
        for (NamedTensor tensor : MODEL) {
            assertArrayEquals(NpyCodec.encode(tensor.array()), parameters.getTensors(i++).toByteArray());
        }
    }

    @Test
    void aStockFlowerClientsAnswerIsNamedByTheManifestTheServerSent() {
        Parameters echoedWithoutManifest = ClientMessage.FitRes.newBuilder()
                .setParameters(FlowerParameters.encode(MODEL)).build().getParameters();

        TensorSet decoded = FlowerParameters.decode(echoedWithoutManifest, MODEL.manifest());

        assertEquals(Set.of(Modality.IMAGING, Modality.EEG, Modality.OMICS, Modality.SHARED), decoded.modalities());
    }

    @Test
    void selectsTheTensorsOfTheModalitiesASiteHolds() {
        TensorSet eegOnly = MODEL.select(Set.of(Modality.EEG, Modality.SHARED));

        assertEquals(List.of("eeg/channel_embed", "shared/temperature"),
                eegOnly.tensors().stream().map(NamedTensor::name).toList());
    }

    @Test
    void refusesParametersThatDisagreeWithTheManifest() {
        Parameters parameters = FlowerParameters.encode(MODEL);
        TensorManifest fewer = new TensorManifest(MODEL.manifest().specs().subList(0, 2));
        TensorManifest reshaped = new TensorManifest(List.of(
                new TensorSpec("imaging/patch_embed.weight", Modality.IMAGING, DType.FLOAT32, Shape.of(3, 2)),
                MODEL.manifest().specs().get(1), MODEL.manifest().specs().get(2), MODEL.manifest().specs().get(3)));

        assertTrue(assertThrows(ParametersFormatException.class, () -> FlowerParameters.decode(parameters, fewer))
                .getMessage().contains("parameters hold 4 tensors but the manifest names 2"));
        assertTrue(assertThrows(ParametersFormatException.class, () -> FlowerParameters.decode(parameters, reshaped))
                .getMessage().contains("tensor #0 'imaging/patch_embed.weight': expected f4 (3, 2), got f4 (2, 3)"));
    }

    @Test
    void namesTheCorruptTensor() {
        Parameters corrupt = FlowerParameters.encode(MODEL).toBuilder()
                .setTensors(1, com.google.protobuf.ByteString.copyFromUtf8("not numpy")).build();

        ParametersFormatException refusal = assertThrows(ParametersFormatException.class,
                () -> FlowerParameters.decodeArrays(corrupt));
        assertTrue(refusal.getMessage().startsWith("tensor #1 of 4: not a .npy array"), refusal.getMessage());
    }

    @Test
    void manifestTextRoundTripsAndRefusesNonsense() {
        assertEquals(MODEL.manifest(), TensorManifest.parse(MODEL.manifest().encode()));

        IllegalArgumentException badModality = assertThrows(IllegalArgumentException.class,
                () -> TensorManifest.parse("w\tgenomics\tfloat32\t2"));
        assertTrue(badModality.getMessage().contains("line 1: unknown modality 'genomics'"), badModality.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TensorManifest.parse("w\timaging\tfloat32\t2x\n"));
        assertThrows(IllegalArgumentException.class, () -> TensorManifest.parse("a b\timaging\tfloat32\t2"));
        assertThrows(IllegalArgumentException.class, () -> TensorSet.of(List.of(
                MODEL.tensors().get(0), MODEL.tensors().get(0))));
    }
}
