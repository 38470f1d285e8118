package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.SecAggMessages.AdvertisedKeys;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShare;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShares;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.MaskedInput;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.RevealedShare;
import io.callosum.protocol.secagg.SecAggMessages.ShareKind;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;
import io.callosum.protocol.secagg.ShamirSharing.Share;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One site's side of one SecAgg+ round: advertise keys, share keys, send the masked input, reveal shares for
 * unmasking, each step answering the server's previous message. One instance per round; its keys and seeds never
 * leave it except as public keys, sealed shares and the masked update.
 */
public final class SecAggClient {
    private static final int SEALED_PLAINTEXT_BYTES = 2 * ShamirSharing.SHARE_BYTES;

    private final RoundConfig config;
    private final int id;
    private final SortedSet<Integer> neighbours;
    private final SecureRandom random;
    private final X25519PrivateKeyParameters encryptionKey;
    private final X25519PrivateKeyParameters maskingKey;
    private final Map<Integer, AdvertisedKeys> neighbourKeys = new TreeMap<>();
    /**
     * The shares this client holds of its own secrets and of each neighbour's that shared keys (so is in U2 as far
     * as this client knows).
     */
    private final Map<Integer, HeldShares> heldShares = new TreeMap<>();
    /** The SecAgg safety rule's memory: which kind of share was revealed per peer, so the other never is. */
    private final Map<Integer, ShareKind> revealed = new TreeMap<>();
    private byte[] selfMaskSeed;
    private HeldShares ownShares;
    private SecAggStage stage = SecAggStage.ADVERTISE_KEYS;
    private boolean aborted;

    private record HeldShares(byte[] maskingKeyShare, byte[] selfMaskSeedShare) {
        static HeldShares fromSealedPlaintext(byte[] plaintext) {
            return new HeldShares(Arrays.copyOfRange(plaintext, 0, ShamirSharing.SHARE_BYTES),
                    Arrays.copyOfRange(plaintext, ShamirSharing.SHARE_BYTES, SEALED_PLAINTEXT_BYTES));
        }

        byte[] sealedPlaintext() {
            byte[] plaintext = Arrays.copyOf(maskingKeyShare, SEALED_PLAINTEXT_BYTES);
            System.arraycopy(selfMaskSeedShare, 0, plaintext, ShamirSharing.SHARE_BYTES, ShamirSharing.SHARE_BYTES);
            return plaintext;
        }
    }

    public SecAggClient(RoundConfig config, int id, SecureRandom random) {
        if (!config.isClient(id)) {
            throw new IllegalArgumentException("client " + id + " is not selected for round " + config.round());
        }
        this.config = config;
        this.id = id;
        this.neighbours = NeighbourGraph.of(config).neighbours(id);
        this.random = random;
        this.encryptionKey = new X25519PrivateKeyParameters(random);
        this.maskingKey = new X25519PrivateKeyParameters(random);
    }

    public int id() {
        return id;
    }

    /** Stage {@link SecAggStage#ADVERTISE_KEYS}: this round's two public keys. */
    public AdvertisedKeys advertiseKeys() {
        enter(SecAggStage.ADVERTISE_KEYS);
        stage = SecAggStage.SHARE_KEYS;
        return new AdvertisedKeys(id, KeyAgreement.publicKey(encryptionKey), KeyAgreement.publicKey(maskingKey));
    }

    /**
     * Stage {@link SecAggStage#SHARE_KEYS}: Shamir shares of a fresh self-mask seed and of the masking private key,
     * one per neighbour that advertised keys, each sealed for that neighbour.
     */
    public EncryptedShares shareKeys(NeighbourKeys message) {
        enter(SecAggStage.SHARE_KEYS);
        requireAddressedToMe(message.receiver(), SecAggStage.SHARE_KEYS);
        Map<Integer, AdvertisedKeys> received = new TreeMap<>();
        for (AdvertisedKeys keys : message.neighbours()) {
            if (!neighbours.contains(keys.client())) {
                throw new SecAggMessageException(SecAggStage.SHARE_KEYS, "client " + id + " got keys of client "
                        + keys.client() + ", which is not one of its neighbours " + neighbours);
            }
            if (received.put(keys.client(), keys) != null) {
                throw new SecAggMessageException(SecAggStage.SHARE_KEYS, "client " + id
                        + " got keys of client " + keys.client() + " twice");
            }
        }
        if (received.size() + 1 < config.threshold()) {
            abort(SecAggStage.SHARE_KEYS, "client " + id + " got keys of " + received.size() + " of its "
                    + neighbours.size() + " neighbours; with itself that is fewer than the threshold "
                    + config.threshold());
        }
        neighbourKeys.putAll(received);
        selfMaskSeed = new byte[MaskExpansion.SEED_BYTES];
        random.nextBytes(selfMaskSeed);
        SortedSet<Integer> holders = new TreeSet<>(neighbourKeys.keySet());
        holders.add(id);
        ShamirSharing sharing = new ShamirSharing(random);
        List<Share> keyShares = sharing.split(maskingKey.getEncoded(), config.threshold(), holders);
        List<Share> seedShares = sharing.split(selfMaskSeed, config.threshold(), holders);
        List<EncryptedShare> sealed = new ArrayList<>();
        int i = 0;
        for (int holder : holders) {
            HeldShares shares = new HeldShares(keyShares.get(i).value(), seedShares.get(i).value());
            i++;
            if (holder == id) {
                ownShares = shares;
                continue;
            }
            sealed.add(ShareCipher.encrypt(shareKey(neighbourKeys.get(holder)), config.round(), id, holder,
                    shares.sealedPlaintext(), random));
        }
        stage = SecAggStage.MASKED_INPUT;
        return new EncryptedShares(id, sealed);
    }

    /**
     * Stage {@link SecAggStage#MASKED_INPUT}: opens the shares neighbours sealed for this client, then clips,
     * quantizes and masks {@code update} with the self-mask and one pairwise mask per neighbour that shared keys.
     */
    public MaskedInput maskInput(ForwardedShares message, float[] update) {
        enter(SecAggStage.MASKED_INPUT);
        requireAddressedToMe(message.receiver(), SecAggStage.MASKED_INPUT);
        if (update.length != config.vectorLength()) {
            throw new IllegalArgumentException("update of client " + id + " has " + update.length
                    + " values, round " + config.round() + " expects " + config.vectorLength());
        }
        Map<Integer, HeldShares> opened = new TreeMap<>();
        for (EncryptedShare share : message.shares()) {
            AdvertisedKeys sender = neighbourKeys.get(share.sender());
            if (sender == null || share.receiver() != id) {
                throw new SecAggMessageException(SecAggStage.MASKED_INPUT, "client " + id + " got a share from "
                        + share.sender() + " to " + share.receiver() + ", not from a neighbour that advertised keys"
                        + " to this client");
            }
            if (opened.containsKey(share.sender())) {
                throw new SecAggMessageException(SecAggStage.MASKED_INPUT, "client " + id + " got two shares from"
                        + " client " + share.sender());
            }
            byte[] plaintext = ShareCipher.decrypt(shareKey(sender), config.round(), share);
            if (plaintext.length != SEALED_PLAINTEXT_BYTES) {
                throw new SecAggMessageException(SecAggStage.MASKED_INPUT, "share from client " + share.sender()
                        + " holds " + plaintext.length + " bytes, expected " + SEALED_PLAINTEXT_BYTES);
            }
            opened.put(share.sender(), HeldShares.fromSealedPlaintext(plaintext));
        }
        if (opened.size() + 1 < config.threshold()) {
            abort(SecAggStage.MASKED_INPUT, "client " + id + " got shares from " + opened.size() + " of its "
                    + neighbours.size() + " neighbours; with itself that is fewer than the threshold "
                    + config.threshold());
        }
        heldShares.putAll(opened);
        heldShares.put(id, ownShares);
        int[] masked = config.quantizer().quantize(update);
        List<byte[]> added = new ArrayList<>(List.of(selfMaskSeed));
        List<byte[]> subtracted = new ArrayList<>();
        for (int peer : opened.keySet()) {
            byte[] seed = KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, config.round(), id, peer, maskingKey,
                    neighbourKeys.get(peer).maskingKey());
            // The lower id adds and the higher id subtracts, so the pair's masks cancel in the sum.
            (id < peer ? added : subtracted).add(seed);
        }
        MaskExpansion.applyAll(added, subtracted, masked, 1);
        stage = SecAggStage.UNMASKING;
        return new MaskedInput(id, MaskedUpdate.of(masked));
    }

    /**
     * Stage {@link SecAggStage#UNMASKING}: for itself and each neighbour whose shares it holds, the self-mask seed share
     * if the server lists it as a survivor, else its masking-key share. Refuses when fewer than the threshold
     * survived, or when the request would reveal, for any peer, the other kind of share than one already revealed.
     */
    public UnmaskingShares unmask(UnmaskingRequest request) {
        enter(SecAggStage.UNMASKING);
        requireAddressedToMe(request.receiver(), SecAggStage.UNMASKING);
        Set<Integer> survivors = new HashSet<>(request.survivors());
        if (survivors.size() != request.survivors().size() || !survivors.contains(id)
                || !survivors.stream().allMatch(config::isClient)) {
            throw new SecAggMessageException(SecAggStage.UNMASKING, "survivor list " + request.survivors()
                    + " sent to client " + id + " must name distinct clients of the round, this one included");
        }
        if (survivors.size() < config.threshold()) {
            abort(SecAggStage.UNMASKING, "server reports " + survivors.size() + " masked inputs, fewer than the"
                    + " threshold " + config.threshold() + "; client " + id + " reveals nothing");
        }
        Map<Integer, ShareKind> kinds = new TreeMap<>();
        for (int peer : heldShares.keySet()) {
            ShareKind kind = survivors.contains(peer) ? ShareKind.SELF_MASK_SEED : ShareKind.MASKING_KEY;
            ShareKind earlier = revealed.get(peer);
            if (earlier != null && earlier != kind) {
                throw new SecAggMessageException(SecAggStage.UNMASKING, "client " + id + " already revealed the "
                        + earlier + " share of client " + peer + " and refuses to reveal its " + kind
                        + " share too: both together would unmask that client's individual update");
            }
            kinds.put(peer, kind);
        }
        List<RevealedShare> shares = new ArrayList<>();
        kinds.forEach((peer, kind) -> {
            HeldShares held = heldShares.get(peer);
            shares.add(new RevealedShare(peer, kind,
                    kind == ShareKind.SELF_MASK_SEED ? held.selfMaskSeedShare() : held.maskingKeyShare()));
        });
        revealed.putAll(kinds);
        return new UnmaskingShares(id, shares);
    }

    private byte[] shareKey(AdvertisedKeys peer) {
        return KeyAgreement.derive(KeyAgreement.SHARE_ENCRYPTION, config.round(), id, peer.client(), encryptionKey,
                peer.encryptionKey());
    }

    private void enter(SecAggStage expected) {
        if (aborted) {
            throw new IllegalStateException("client " + id + " aborted round " + config.round());
        }
        if (stage != expected) {
            throw new IllegalStateException("client " + id + " is at stage " + stage + ", not " + expected);
        }
    }

    private void requireAddressedToMe(int receiver, SecAggStage stage) {
        if (receiver != id) {
            throw new SecAggMessageException(stage, "message for client " + receiver + " delivered to client " + id);
        }
    }

    private void abort(SecAggStage at, String reason) {
        aborted = true;
        throw new SecAggAbortedException(at, reason);
    }
}
