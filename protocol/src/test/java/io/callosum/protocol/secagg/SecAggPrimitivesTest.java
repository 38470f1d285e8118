package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.ShamirSharing.Share;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecAggPrimitivesTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void anyTSharesRecoverTheSecretAndInconsistentSharesAreRefused() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        secret[0] = (byte) 0xff;
        List<Share> shares = new ArrayList<>(new ShamirSharing(random).split(secret, 4, List.of(0, 3, 5, 8, 9, 12, 19)));
        for (int trial = 0; trial < 5; trial++) {
            Collections.shuffle(shares, new Random(trial));
            assertArrayEquals(secret, ShamirSharing.combine(shares, 4));
        }
        assertThrows(IllegalArgumentException.class, () -> ShamirSharing.combine(shares.subList(0, 3), 4));
        List<Share> tampered = new ArrayList<>(shares);
        tampered.set(0, new Share(shares.get(0).x(), shares.get(0).y().add(BigInteger.ONE)));
        IllegalArgumentException inconsistent = assertThrows(IllegalArgumentException.class,
                () -> ShamirSharing.combine(tampered, 4));
        assertTrue(inconsistent.getMessage().contains("inconsistent"));
        Share share = shares.get(0);
        assertEquals(share, Share.of(share.x() - 1, share.value()), "a share survives its byte encoding");
    }

    @Test
    void aShareOfASmallSecretIsAFullSizeFieldElement() {
        // With t >= 2 the random coefficients spread each share over GF(2^521 - 1), whatever the secret.
        List<Share> zeros = new ShamirSharing(random).split(new byte[32], 2, List.of(0));
        assertTrue(zeros.get(0).y().bitLength() > 256, "a share of the zero secret is not small");
    }

    @Test
    void neighbourGraphIsKRegularSymmetricAndDerivedFromTheSeed() {
        RoundConfig config = InProcessRound.config(20, 6, 4, 1, 1.0, 41);
        NeighbourGraph graph = NeighbourGraph.of(config);
        for (int client : config.clients()) {
            assertEquals(6, graph.neighbours(client).size());
            assertFalse(graph.neighbours(client).contains(client));
            for (int peer : graph.neighbours(client)) {
                assertTrue(graph.linked(peer, client), client + " -> " + peer + " is not symmetric");
            }
        }
        assertEquals(graph.neighbours(5), NeighbourGraph.of(InProcessRound.config(20, 6, 4, 1, 1.0, 41)).neighbours(5));
        boolean anyDiffers = config.clients().stream().anyMatch(client -> !graph.neighbours(client)
                .equals(NeighbourGraph.of(InProcessRound.config(20, 6, 4, 1, 1.0, 42)).neighbours(client)));
        assertTrue(anyDiffers, "another round seed gives another graph");
        NeighbourGraph complete = NeighbourGraph.of(InProcessRound.config(6, 5, 4, 1, 1.0, 43));
        assertEquals(Set.of(0, 1, 2, 4, 5), complete.neighbours(3));
    }

    @Test
    void recommendedNeighboursAreEvenAndLogarithmic() {
        assertEquals(8, RoundConfig.recommendedNeighbours(100));
        assertEquals(4, RoundConfig.recommendedNeighbours(10));
        assertEquals(2, RoundConfig.recommendedNeighbours(3));
        assertEquals(4, RoundConfig.recommendedNeighbours(5), "every other client");
        assertEquals(5, RoundConfig.minimumThreshold(8));
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class,
                () -> InProcessRound.config(20, 5, 4, 1, 1.0, 1));
        assertTrue(odd.getMessage().contains("neighbours must be even"));
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class,
                () -> InProcessRound.config(20, 8, 4, 1, 1.0, 1));
        assertTrue(low.getMessage().contains("2t > k + 1"));
    }

    @Test
    void quantizedSumOfNExtremeValuesDoesNotWrap() {
        int n = 100;
        FixedPointQuantizer quantizer = new FixedPointQuantizer(0.5, n);
        int[] sum = new int[2];
        for (int i = 0; i < n; i++) {
            int[] words = quantizer.quantize(new float[]{7f, -7f});
            sum[0] += words[0];
            sum[1] += words[1];
        }
        float[] values = quantizer.dequantizeSum(sum);
        assertEquals(50.0, values[0], quantizer.sumErrorBound(n) + Math.ulp(50f));
        assertEquals(-50.0, values[1], quantizer.sumErrorBound(n) + Math.ulp(50f));
        assertTrue(quantizer.sumErrorBound(n) < 2.4e-6 * 0.5, "100 sites at c = 0.5: " + quantizer.sumErrorBound(n));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> quantizer.quantize(new float[]{0f, Float.NaN}));
        assertTrue(nan.getMessage().contains("update value 1 is NaN"));
    }

    @Test
    void bothEndsDeriveTheSameKeyPerPurposeAndRound() {
        X25519PrivateKeyParameters a = new X25519PrivateKeyParameters(random);
        X25519PrivateKeyParameters b = new X25519PrivateKeyParameters(random);
        byte[] ab = KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, 3, 1, 2, a, KeyAgreement.publicKey(b));
        byte[] ba = KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, 3, 2, 1, b, KeyAgreement.publicKey(a));
        assertArrayEquals(ab, ba);
        assertFalse(Arrays.equals(ab,
                KeyAgreement.derive(KeyAgreement.SHARE_ENCRYPTION, 3, 1, 2, a, KeyAgreement.publicKey(b))));
        assertFalse(Arrays.equals(ab,
                KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, 4, 1, 2, a, KeyAgreement.publicKey(b))));
        IllegalArgumentException lowOrder = assertThrows(IllegalArgumentException.class,
                () -> KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, 3, 1, 2, a, new byte[32]));
        assertTrue(lowOrder.getMessage().contains("public key of client 2 is a low-order point"));
    }

    @Test
    void maskStreamIsTheAesCtrKeystreamAndSubtractionUndoesAddition() {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        int count = 40_000;
        SICBlockCipher reference = new SICBlockCipher(AESEngine.newInstance());
        reference.init(true, new ParametersWithIV(new KeyParameter(seed), new byte[16]));
        byte[] keystream = new byte[count * 4];
        reference.processBytes(new byte[count * 4], 0, count * 4, keystream, 0);
        int[] expected = new int[count];
        ByteBuffer.wrap(keystream).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(expected);

        assertArrayEquals(expected, MaskExpansion.words(seed, count));
        int[] vector = new int[count];
        vector[7] = 12345;
        MaskExpansion.applyAll(List.of(seed), List.of(), vector, 1);
        assertNotEquals(12345, vector[7]);
        MaskExpansion.applyAll(List.of(), List.of(seed), vector, 1);
        int[] restored = new int[count];
        restored[7] = 12345;
        assertArrayEquals(restored, vector);
    }

    @Test
    void parallelRangesGiveTheSameResultAsOneThread() {
        int length = 3 * 16_384 + 7;
        List<byte[]> added = new ArrayList<>();
        List<byte[]> subtracted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] seed = new byte[32];
            random.nextBytes(seed);
            (i % 2 == 0 ? added : subtracted).add(seed);
        }
        int[] sequential = new int[length];
        added.forEach(seed -> MaskExpansion.applyAll(List.of(seed), List.of(), sequential, 1));
        subtracted.forEach(seed -> MaskExpansion.applyAll(List.of(), List.of(seed), sequential, 1));
        int[] parallel = new int[length];
        MaskExpansion.applyAll(added, subtracted, parallel, 3);
        assertArrayEquals(sequential, parallel);
    }
}
