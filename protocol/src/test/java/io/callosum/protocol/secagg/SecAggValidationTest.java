package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.InProcessRound.Dropouts;
import io.callosum.protocol.secagg.SecAggMessages.AdvertisedKeys;
import io.callosum.protocol.secagg.SecAggMessages.AggregateSum;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShare;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShares;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.RevealedShare;
import io.callosum.protocol.secagg.SecAggMessages.ShareKind;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages that break the protocol are refused with what was wrong, and the round carries on without them. */
class SecAggValidationTest {
    private final RoundConfig config = InProcessRound.config(5, 4, 3, 40, 1.0, 31);
    private final InProcessRound round = new InProcessRound(config);
    private final SecureAggregator server = round.server;

    @Test
    void keysFromAnUnknownClientOrTwiceOrOfTheWrongSizeAreRefused() {
        AdvertisedKeys keys = round.clients.get(0).advertiseKeys();
        server.acceptKeys(keys);
        refused(() -> server.acceptKeys(new AdvertisedKeys(9, keys.encryptionKey(), keys.maskingKey())),
                "stage ADVERTISE_KEYS: unknown client 9 advertised keys");
        refused(() -> server.acceptKeys(keys), "client 0 advertised keys twice");
        refused(() -> server.acceptKeys(new AdvertisedKeys(1, new byte[31], keys.maskingKey())),
                "advertised keys of 31 and 32 bytes");
    }

    @Test
    void sharesMustComeFromAnAdvertiserAndReachEveryNeighbourOnce() {
        round.clients.values().forEach(client -> server.acceptKeys(client.advertiseKeys()));
        Map<Integer, NeighbourKeys> keys = server.closeAdvertising();
        EncryptedShares shares = round.clients.get(0).shareKeys(keys.get(0));
        List<EncryptedShare> missingOne = new ArrayList<>(shares.shares().subList(1, shares.shares().size()));
        refused(() -> server.acceptShares(new EncryptedShares(0, missingOne)), "client 0 sent no share to its neighbours [1]");
        List<EncryptedShare> doubled = new ArrayList<>(shares.shares());
        doubled.add(shares.shares().get(0));
        refused(() -> server.acceptShares(new EncryptedShares(0, doubled)), "client 0 sent two shares to client 1");
        refused(() -> server.acceptShares(new EncryptedShares(1, shares.shares())),
                "client 1 sent a share claiming to be from client 0");
        server.acceptShares(shares);
        refused(() -> server.acceptShares(shares), "client 0 sent shares twice");
    }

    @Test
    void maskedInputsOfTheWrongLengthOrFromClientsThatDidNotShareOrTwiceAreRefused() {
        round.clients.values().forEach(client -> server.acceptKeys(client.advertiseKeys()));
        Map<Integer, NeighbourKeys> keys = server.closeAdvertising();
        for (int id = 0; id < 4; id++) {
            server.acceptShares(round.clients.get(id).shareKeys(keys.get(id)));
        }
        Map<Integer, ForwardedShares> forwarded = server.closeSharing();
        MaskedInput input = round.clients.get(0).maskInput(forwarded.get(0), new float[40]);
        refused(() -> server.acceptMaskedInput(new MaskedInput(0, MaskedUpdate.fromLittleEndianBytes(new byte[39 * 4]))),
                "masked input from client 0 has 39 values, round 7 expects 40");
        refused(() -> server.acceptMaskedInput(new MaskedInput(4, input.update())),
                "client 4 sent a masked input but did not share keys");
        server.acceptMaskedInput(input);
        refused(() -> server.acceptMaskedInput(input), "client 0 sent a masked input twice");
        IllegalArgumentException wrongLength = assertThrows(IllegalArgumentException.class,
                () -> round.clients.get(1).maskInput(forwarded.get(1), new float[41]));
        assertTrue(wrongLength.getMessage().contains("update of client 1 has 41 values, round 7 expects 40"));
    }

    @Test
    void revealedSharesOfTheWrongKindOrFromNonSurvivorsAreRefusedAndTheRoundStillFinishes() {
        round.clients.values().forEach(client -> server.acceptKeys(client.advertiseKeys()));
        Map<Integer, NeighbourKeys> keys = server.closeAdvertising();
        keys.forEach((id, message) -> server.acceptShares(round.clients.get(id).shareKeys(message)));
        Map<Integer, ForwardedShares> forwarded = server.closeSharing();
        float[] ones = new float[40];
        Arrays.fill(ones, 0.25f);
        for (int id = 0; id < 4; id++) {
            server.acceptMaskedInput(round.clients.get(id).maskInput(forwarded.get(id), ones));
        }
        Map<Integer, UnmaskingRequest> requests = server.closeMaskedInput();
        UnmaskingShares shares = round.clients.get(0).unmask(requests.get(0));
        RevealedShare ofOne = shares.shares().stream().filter(s -> s.owner() == 1).findFirst().orElseThrow();
        List<RevealedShare> wrongKind = new ArrayList<>(shares.shares());
        wrongKind.replaceAll(s -> s.owner() == 1 ? new RevealedShare(1, ShareKind.MASKING_KEY, ofOne.value()) : s);
        refused(() -> server.acceptUnmaskingShares(new UnmaskingShares(0, wrongKind)),
                "client 0 revealed a MASKING_KEY share of client 1, which needs SELF_MASK_SEED");
        refused(() -> server.acceptUnmaskingShares(new UnmaskingShares(4, shares.shares())),
                "client 4 revealed shares but its masked input is not in the sum");
        server.acceptUnmaskingShares(shares);
        refused(() -> server.acceptUnmaskingShares(shares), "client 0 revealed shares twice");
        for (int id = 1; id < 4; id++) {
            server.acceptUnmaskingShares(round.clients.get(id).unmask(requests.get(id)));
        }
        AggregateSum sum = server.unmaskSum();

        assertEquals(List.of(4), sum.dropped());
        for (float value : sum.sum()) {
            assertEquals(1.0, value, config.quantizer().sumErrorBound(4) + Math.ulp(1f));
        }
    }

    @Test
    void stagesMustComeInOrder() {
        IllegalStateException early = assertThrows(IllegalStateException.class, server::closeSharing);
        assertTrue(early.getMessage().contains("round 7 is at stage ADVERTISE_KEYS, not SHARE_KEYS"));
        SecAggClient client = round.clients.get(0);
        IllegalStateException clientEarly = assertThrows(IllegalStateException.class,
                () -> client.maskInput(new ForwardedShares(0, List.of()), new float[40]));
        assertTrue(clientEarly.getMessage().contains("client 0 is at stage ADVERTISE_KEYS, not MASKED_INPUT"));
    }

    @Test
    void clientRefusesKeysOfNonNeighboursAndMessagesForOthers() {
        RoundConfig sparse = InProcessRound.config(10, 4, 3, 10, 1.0, 32);
        InProcessRound sparseRound = new InProcessRound(sparse);
        Map<Integer, AdvertisedKeys> advertised = new TreeMap<>();
        sparseRound.clients.forEach((id, c) -> advertised.put(id, c.advertiseKeys()));
        advertised.values().forEach(sparseRound.server::acceptKeys);
        Map<Integer, NeighbourKeys> keys = sparseRound.server.closeAdvertising();
        NeighbourGraph graph = NeighbourGraph.of(sparse);
        int stranger = sparse.clients().stream().filter(id -> id != 0 && !graph.linked(0, id)).findFirst().orElseThrow();
        List<AdvertisedKeys> withStranger = new ArrayList<>(keys.get(0).neighbours());
        withStranger.add(advertised.get(stranger));
        SecAggClient client = sparseRound.clients.get(0);
        NeighbourKeys forStranger = keys.get(stranger);
        refused(() -> client.shareKeys(forStranger), "message for client " + stranger + " delivered to client 0");
        refused(() -> client.shareKeys(new NeighbourKeys(0, withStranger)),
                "got keys of client " + stranger + ", which is not one of its neighbours");
    }

    @Test
    void aClientShortOfNeighboursAbortsItsRound() {
        round.clients.values().forEach(client -> server.acceptKeys(client.advertiseKeys()));
        NeighbourKeys keys = server.closeAdvertising().get(0);
        SecAggAbortedException aborted = assertThrows(SecAggAbortedException.class,
                () -> round.clients.get(0).shareKeys(new NeighbourKeys(0, keys.neighbours().subList(0, 1))));
        assertEquals(SecAggStage.SHARE_KEYS, aborted.stage());
        assertTrue(aborted.getMessage().contains("client 0 got keys of 1 of its 4 neighbours"), aborted.getMessage());
    }

    @Test
    void roundWithoutDropoutsStillWorksAfterTheRefusalsAbove() {
        AggregateSum sum = round.run(InProcessRound.randomUpdates(config, 1.0, 33), Dropouts.none());
        assertEquals(config.clients(), sum.contributors());
    }

    private static void refused(Executable call, String expected) {
        SecAggMessageException refused = assertThrows(SecAggMessageException.class, call);
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }
}
