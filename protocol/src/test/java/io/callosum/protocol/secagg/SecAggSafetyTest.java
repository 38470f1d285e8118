package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.InProcessRound.Dropouts;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShare;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.ShareKind;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server can and cannot learn: masked updates look uniform, and nothing unmasks one client alone. */
class SecAggSafetyTest {
    private static final int VALUES = 100_000;

    @Test
    void maskedUpdateIsUncorrelatedWithItsPlaintextAndItsHighBitsAreUniform() {
        RoundConfig config = InProcessRound.config(3, 2, 2, VALUES, 1.0, 21);
        float[] structured = new float[VALUES];
        for (int i = 0; i < VALUES; i++) {
            structured[i] = (float) Math.sin(i / 500.0) * 0.9f;
        }
        Map<Integer, float[]> updates = Map.of(0, structured, 1, structured.clone(), 2, structured.clone());
        InProcessRound round = new InProcessRound(config);
        round.run(updates, Dropouts.none());

        int[] masked = words(round.maskedInputs.get(0).update());
        int[] plaintext = config.quantizer().quantize(structured);
        assertTrue(Math.abs(pearson(plaintext, plaintext)) > 0.99, "the correlation measure works");
        double r = pearson(plaintext, masked);
        assertTrue(Math.abs(r) < 0.05, "masked words correlate with the plaintext: r = " + r);
        // Top 4 bits in 16 buckets: chi-square with 15 degrees of freedom, 50 is far beyond its 99.99th percentile.
        assertTrue(highBitsChiSquare(masked) < 50, "masked high bits are not uniform: " + highBitsChiSquare(masked));
        assertTrue(highBitsChiSquare(plaintext) > 10_000, "the plaintext's high bits are far from uniform");
    }

    @Test
    void aggregatorRefusesToReleaseASingleSurvivorsUpdate() {
        RoundConfig config = InProcessRound.config(3, 2, 2, 100, 1.0, 22);
        InProcessRound round = new InProcessRound(config);
        SecAggAbortedException aborted = assertThrows(SecAggAbortedException.class, () -> round.run(
                InProcessRound.randomUpdates(config, 1.0, 23), new Dropouts(Set.of(), Set.of(), Set.of(1, 2), Set.of())));

        assertEquals(SecAggStage.MASKED_INPUT, aborted.stage());
        assertTrue(aborted.getMessage().contains("1 of 3 clients sent masked inputs, fewer than the threshold 2"),
                aborted.getMessage());
        assertEquals(1, round.maskedInputs.size(), "the lone masked input was received, and released nothing");
    }

    @Test
    void publicApiOffersNoWayToUnmaskOneUpdate() {
        for (Method method : SecureAggregator.class.getMethods()) {
            boolean takesMasked = Arrays.stream(method.getParameterTypes())
                    .anyMatch(type -> type == MaskedInput.class || type == MaskedUpdate.class);
            if (takesMasked) {
                assertEquals(void.class, method.getReturnType(), method + " takes a masked update and returns something");
            }
            if (method.getReturnType() == AggregateSum.class) {
                assertEquals("unmaskSum", method.getName());
                assertEquals(0, method.getParameterCount(), "the sum is released only from the round's own state");
            }
        }
        for (Method method : MaskedUpdate.class.getDeclaredMethods()) {
            if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())) {
                assertTrue(Set.of("toLittleEndianBytes", "length").contains(method.getName()),
                        "MaskedUpdate exposes " + method);
            }
        }
    }

    @Test
    void clientRevealsNothingWhenTheServerReportsFewerThanTSurvivors() {
        RoundConfig config = InProcessRound.config(5, 4, 3, 50, 1.0, 24);
        InProcessRound round = new InProcessRound(config);
        Map<Integer, UnmaskingRequest> requests = runUntilUnmasking(round);
        UnmaskingRequest honest = requests.get(0);
        SecAggAbortedException aborted = assertThrows(SecAggAbortedException.class,
                () -> round.clients.get(0).unmask(new UnmaskingRequest(0, List.of(0, 1))));

        assertEquals(SecAggStage.UNMASKING, aborted.stage());
        assertTrue(aborted.getMessage().contains("2 masked inputs, fewer than the threshold 3"), aborted.getMessage());
        assertEquals(List.of(0, 1, 2, 3, 4), honest.survivors());
    }

    @Test
    void clientNeverRevealsBothKindsOfShareForOnePeer() {
        RoundConfig config = InProcessRound.config(5, 4, 3, 50, 1.0, 25);
        InProcessRound round = new InProcessRound(config);
        runUntilUnmasking(round);
        SecAggClient client = round.clients.get(0);
        UnmaskingShares first = client.unmask(new UnmaskingRequest(0, List.of(0, 1, 2, 3, 4)));
        assertTrue(first.shares().stream().allMatch(share -> share.kind() == ShareKind.SELF_MASK_SEED));

        // A server that now claims client 4 dropped wants its masking key too: with its self-mask seed, that unmasks it.
        SecAggMessageException refused = assertThrows(SecAggMessageException.class,
                () -> client.unmask(new UnmaskingRequest(0, List.of(0, 1, 2, 3))));
        assertTrue(refused.getMessage().contains("already revealed the SELF_MASK_SEED share of client 4"),
                refused.getMessage());
        UnmaskingShares repeated = client.unmask(new UnmaskingRequest(0, List.of(0, 1, 2, 3, 4)));
        assertEquals(first.shares().size(), repeated.shares().size(), "the same request may be answered again");
    }

    @Test
    void clientRefusesAMaskingKeyShareOfItself() {
        RoundConfig config = InProcessRound.config(5, 4, 3, 50, 1.0, 26);
        InProcessRound round = new InProcessRound(config);
        runUntilUnmasking(round);
        SecAggMessageException refused = assertThrows(SecAggMessageException.class,
                () -> round.clients.get(0).unmask(new UnmaskingRequest(0, List.of(1, 2, 3, 4))));
        assertTrue(refused.getMessage().contains("this one included"), refused.getMessage());
    }

    @Test
    void tamperedCiphertextIsRefused() {
        RoundConfig config = InProcessRound.config(5, 4, 3, 50, 1.0, 27);
        InProcessRound round = new InProcessRound(config);
        Map<Integer, ForwardedShares> forwarded = runUntilForwarding(round);
        ForwardedShares original = forwarded.get(2);
        List<EncryptedShare> shares = new ArrayList<>(original.shares());
        EncryptedShare victim = shares.get(0);
        byte[] ciphertext = victim.ciphertext();
        ciphertext[5] ^= 1;
        shares.set(0, new EncryptedShare(victim.sender(), victim.receiver(), victim.nonce(), ciphertext));

        SecAggMessageException refused = assertThrows(SecAggMessageException.class,
                () -> round.clients.get(2).maskInput(new ForwardedShares(2, shares), new float[50]));
        assertTrue(refused.getMessage().contains("share from client " + victim.sender()
                + " to client 2 failed authentication (AES-GCM tag mismatch)"), refused.getMessage());
        // The refusal changed nothing: the untouched shares are still accepted.
        round.clients.get(2).maskInput(original, new float[50]);
    }

    @Test
    void shareReaddressedToAnotherClientIsRefused() {
        RoundConfig config = InProcessRound.config(5, 4, 3, 50, 1.0, 28);
        InProcessRound round = new InProcessRound(config);
        Map<Integer, ForwardedShares> forwarded = runUntilForwarding(round);
        List<EncryptedShare> shares = new ArrayList<>(forwarded.get(2).shares());
        EncryptedShare forOne = forwarded.get(1).shares().stream().filter(s -> s.sender() == 0).findFirst().orElseThrow();
        shares.removeIf(share -> share.sender() == 0);
        shares.add(new EncryptedShare(0, 2, forOne.nonce(), forOne.ciphertext()));

        SecAggMessageException refused = assertThrows(SecAggMessageException.class,
                () -> round.clients.get(2).maskInput(new ForwardedShares(2, shares), new float[50]));
        assertTrue(refused.getMessage().contains("failed authentication"), refused.getMessage());
    }

    private static Map<Integer, ForwardedShares> runUntilForwarding(InProcessRound round) {
        round.clients.values().forEach(client -> round.server.acceptKeys(client.advertiseKeys()));
        Map<Integer, NeighbourKeys> keys = round.server.closeAdvertising();
        keys.forEach((id, message) -> round.server.acceptShares(round.clients.get(id).shareKeys(message)));
        return round.server.closeSharing();
    }

    private static Map<Integer, UnmaskingRequest> runUntilUnmasking(InProcessRound round) {
        Map<Integer, ForwardedShares> forwarded = runUntilForwarding(round);
        forwarded.forEach((id, message) -> round.server.acceptMaskedInput(
                round.clients.get(id).maskInput(message, new float[round.config.vectorLength()])));
        return round.server.closeMaskedInput();
    }

    private static int[] words(MaskedUpdate update) {
        int[] words = new int[update.length()];
        ByteBuffer.wrap(update.toLittleEndianBytes()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        return words;
    }

    private static double pearson(int[] a, int[] b) {
        double meanA = Arrays.stream(a).average().orElseThrow();
        double meanB = Arrays.stream(b).average().orElseThrow();
        double covariance = 0;
        double varianceA = 0;
        double varianceB = 0;
        for (int i = 0; i < a.length; i++) {
            covariance += (a[i] - meanA) * (b[i] - meanB);
            varianceA += (a[i] - meanA) * (a[i] - meanA);
            varianceB += (b[i] - meanB) * (b[i] - meanB);
        }
        return covariance / Math.sqrt(varianceA * varianceB);
    }

    private static double highBitsChiSquare(int[] words) {
        long[] counts = new long[16];
        for (int word : words) {
            counts[word >>> 28]++;
        }
        double expected = words.length / 16.0;
        return Arrays.stream(counts).mapToDouble(count -> (count - expected) * (count - expected) / expected).sum();
    }
}
