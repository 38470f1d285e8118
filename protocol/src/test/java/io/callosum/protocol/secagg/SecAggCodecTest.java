package io.callosum.protocol.secagg;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.secagg.SecAggMessages.AdvertisedKeys;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShares;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole round carried through the codec gives the same sum; damaged bytes are refused by name. */
class SecAggCodecTest {
    private final RoundConfig config = InProcessRound.config(4, 2, 2, 6, 1.0, 5);

    @Test
    void aRoundWhoseEveryMessageTravelsAsBytesSumsExactly() {
        RoundConfig received = SecAggCodec.decodeRoundConfig(SecAggCodec.encode(config));
        assertEquals(config, received);
        InProcessRound round = new InProcessRound(received);
        SecureAggregator server = round.server;
        for (SecAggClient client : round.clients.values()) {
            server.acceptKeys(SecAggCodec.decodeAdvertisedKeys(SecAggCodec.encode(client.advertiseKeys())));
        }
        Map<Integer, NeighbourKeys> keys = server.closeAdvertising();
        for (SecAggClient client : round.clients.values()) {
            NeighbourKeys delivered = SecAggCodec.decodeNeighbourKeys(SecAggCodec.encode(keys.get(client.id())));
            EncryptedShares shares = client.shareKeys(delivered);
            server.acceptShares(SecAggCodec.decodeEncryptedShares(SecAggCodec.encode(shares)));
        }
        Map<Integer, ForwardedShares> forwarded = server.closeSharing();
        float[] expected = new float[config.vectorLength()];
        Map<Integer, float[]> updates = new TreeMap<>();
        for (SecAggClient client : round.clients.values()) {
            float[] update = new float[config.vectorLength()];
            Arrays.fill(update, 0.125f * (client.id() + 1));
            updates.put(client.id(), update);
            for (int i = 0; i < update.length; i++) {
                expected[i] += update[i];
            }
            ForwardedShares delivered = SecAggCodec.decodeForwardedShares(
                    SecAggCodec.encode(forwarded.get(client.id())));
            server.acceptMaskedInput(client.maskInput(delivered, update));
        }
        var requests = server.closeMaskedInput();
        for (SecAggClient client : round.clients.values()) {
            UnmaskingShares shares = client.unmask(SecAggCodec.decodeUnmaskingRequest(
                    SecAggCodec.encode(requests.get(client.id()))));
            server.acceptUnmaskingShares(SecAggCodec.decodeUnmaskingShares(SecAggCodec.encode(shares)));
        }
        assertArrayEquals(expected, server.unmaskSum().sum(), 1e-6f);
    }

    @Test
    void truncatedOversizedOrForeignBytesAreRefusedNamingTheMessage() {
        byte[] keys = SecAggCodec.encode(new AdvertisedKeys(3, new byte[32], new byte[32]));
        refused(() -> SecAggCodec.decodeAdvertisedKeys(Arrays.copyOf(keys, keys.length - 1)),
                "advertised keys: masking key claims 32 bytes, more than the 31 bytes left");
        byte[] longer = Arrays.copyOf(keys, keys.length + 2);
        refused(() -> SecAggCodec.decodeAdvertisedKeys(longer), "2 bytes left over");
        byte[] version = keys.clone();
        version[0] = 9;
        refused(() -> SecAggCodec.decodeAdvertisedKeys(version), "format version 9");
        byte[] hugeCount = SecAggCodec.encode(new EncryptedShares(1, List.of()));
        hugeCount[5] = 0x7f;
        refused(() -> SecAggCodec.decodeEncryptedShares(hugeCount), "encrypted shares claims 2130706432 entries");
        byte[] config = SecAggCodec.encode(this.config);
        // version, round, client count, 4 client ids, vector length, neighbours: the threshold comes next.
        ByteBuffer.wrap(config).putInt(1 + 4 + 4 + 4 * 4 + 4 + 4, 0);
        refused(() -> SecAggCodec.decodeRoundConfig(config), "round config: threshold must satisfy");
    }

    @Test
    void theLayoutPlacesEachSitesTensorsAndReadsMeansBack() {
        TensorSet global = TensorSet.of(List.of(
                new NamedTensor("imaging/w", Modality.IMAGING, NpyArray.ofFloats(Shape.of(2), 1, 2)),
                new NamedTensor("omics/w", Modality.OMICS, NpyArray.ofFloats(Shape.of(3), 0, 0, 0))));
        UpdateLayout layout = new UpdateLayout(global.manifest());
        assertEquals(5, layout.length());
        TensorSet omicsOnly = TensorSet.of(List.of(
                new NamedTensor("omics/w", Modality.OMICS, NpyArray.ofFloats(Shape.of(3), 1, 2, 3))));
        assertArrayEquals(new float[] {0, 0, 0.5f, 1, 1.5f}, layout.weightedDelta(global, omicsOnly, 0.5));
        assertEquals(EnumSet.of(Modality.IMAGING, Modality.OMICS), layout.modalities());
        float[] both = {1, 1, 1, 2, 3};
        layout.scale(both, Map.of(Modality.IMAGING, 0.25, Modality.OMICS, 0.5));
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.5f, 1, 1.5f}, both);
        refused(() -> layout.scale(both, Map.of(Modality.IMAGING, 1.0)), "no weight for tensor 'omics/w' of omics");

        TensorSet mean = layout.applyMeanDeltas(global, new float[] {0, 0, 1, 2, 3}, Map.of("omics/w", 0.5));
        assertEquals(List.of("omics/w"), mean.tensors().stream().map(NamedTensor::name).toList());
        assertArrayEquals(new float[] {2, 4, 6}, mean.get("omics/w").orElseThrow().array().toFloatArray());

        TensorSet wrongShape = TensorSet.of(List.of(
                new NamedTensor("omics/w", Modality.OMICS, NpyArray.ofFloats(Shape.of(2), 1, 2))));
        refused(() -> layout.weightedDelta(global, wrongShape, 1), "tensor 'omics/w' has shape");
        TensorSet nan = TensorSet.of(List.of(
                new NamedTensor("omics/w", Modality.OMICS, NpyArray.ofFloats(Shape.of(3), 1, Float.NaN, 3))));
        refused(() -> layout.weightedDelta(global, nan, 1), "tensor 'omics/w' value 1 is NaN");
        TensorSet stranger = TensorSet.of(List.of(
                new NamedTensor("eeg/w", Modality.EEG, NpyArray.ofFloats(Shape.of(1), 1))));
        refused(() -> layout.weightedDelta(global, stranger, 1), "tensor 'eeg/w' is not in the round's layout");
    }

    private static void refused(Executable call, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
