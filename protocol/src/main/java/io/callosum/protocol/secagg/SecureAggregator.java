package io.callosum.protocol.secagg;

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
import io.callosum.protocol.secagg.ShamirSharing.Share;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

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
 * The server's side of one SecAgg+ round. It relays keys and sealed shares it cannot open, folds each masked input
 * into one running sum as it arrives (memory O(model), not O(sites × model)) and, once the survivors revealed their
 * shares, removes the masks that did not cancel: the self-masks of the survivors (from their reconstructed seeds)
 * and the pairwise masks survivors added with clients that dropped after sharing keys (from those clients'
 * reconstructed masking keys).
 *
 * <p>It holds no individual update in the clear at any point: it accepts only {@link MaskedUpdate}s, never keeps
 * one apart from the sum, and releases only the unmasked sum of at least {@code t} survivors. Too few clients at any
 * stage aborts the round with a {@link SecAggAbortedException} and clears the sum; a message that breaks the
 * protocol is refused with a {@link SecAggMessageException} and changes nothing.
 */
public final class SecureAggregator {
    private final RoundConfig config;
    private final NeighbourGraph graph;
    /** U1: clients that advertised keys. */
    private final Map<Integer, AdvertisedKeys> advertised = new TreeMap<>();
    /** U2: clients that sent their sealed shares, and the shares; kept until the masked-input stage closes. */
    private final Map<Integer, EncryptedShares> shared = new TreeMap<>();
    /** U3: clients whose masked input is in the sum. */
    private final SortedSet<Integer> masked = new TreeSet<>();
    /** Responders to the unmasking request, and the shares they revealed. */
    private final Map<Integer, UnmaskingShares> revealed = new TreeMap<>();
    private final int[] sum;
    private final int unmaskingThreads;
    private SecAggStage stage = SecAggStage.ADVERTISE_KEYS;
    private boolean closed;

    /** An aggregator that removes masks on every available processor. */
    public SecureAggregator(RoundConfig config) {
        this(config, Runtime.getRuntime().availableProcessors());
    }

    /**
     * @param unmaskingThreads how many threads expand seeds when removing masks (each owns a range of the vector);
     *                         the running sum itself is folded on the caller's thread as inputs arrive
     */
    public SecureAggregator(RoundConfig config, int unmaskingThreads) {
        if (unmaskingThreads < 1) {
            throw new IllegalArgumentException("unmasking needs at least one thread, got " + unmaskingThreads);
        }
        this.unmaskingThreads = unmaskingThreads;
        this.config = config;
        this.graph = NeighbourGraph.of(config);
        this.sum = new int[config.vectorLength()];
    }

    /** Stage {@link SecAggStage#ADVERTISE_KEYS}: one client's public keys. */
    public void acceptKeys(AdvertisedKeys keys) {
        enter(SecAggStage.ADVERTISE_KEYS);
        requireKnown(keys.client(), "advertised keys");
        if (advertised.containsKey(keys.client())) {
            throw refuse("client " + keys.client() + " advertised keys twice");
        }
        int keyBytes = X25519PublicKeyParameters.KEY_SIZE;
        if (keys.encryptionKey().length != keyBytes || keys.maskingKey().length != keyBytes) {
            throw refuse("client " + keys.client() + " advertised keys of " + keys.encryptionKey().length + " and "
                    + keys.maskingKey().length + " bytes; X25519 public keys have " + keyBytes);
        }
        advertised.put(keys.client(), keys);
    }

    /** Ends {@link SecAggStage#ADVERTISE_KEYS}: for each client that advertised, its advertising neighbours' keys. */
    public Map<Integer, NeighbourKeys> closeAdvertising() {
        enter(SecAggStage.ADVERTISE_KEYS);
        requireThreshold(advertised.size(), "clients advertised keys");
        Map<Integer, NeighbourKeys> messages = new TreeMap<>();
        for (int client : advertised.keySet()) {
            List<AdvertisedKeys> keys = new ArrayList<>();
            for (int peer : graph.neighbours(client)) {
                if (advertised.containsKey(peer)) {
                    keys.add(advertised.get(peer));
                }
            }
            messages.put(client, new NeighbourKeys(client, keys));
        }
        stage = SecAggStage.SHARE_KEYS;
        return messages;
    }

    /**
     * Stage {@link SecAggStage#SHARE_KEYS}: one client's sealed shares, exactly one for each of its neighbours that
     * advertised keys.
     */
    public void acceptShares(EncryptedShares message) {
        enter(SecAggStage.SHARE_KEYS);
        int sender = message.sender();
        requireKnown(sender, "sent shares");
        if (!advertised.containsKey(sender)) {
            throw refuse("client " + sender + " sent shares but did not advertise keys");
        }
        if (shared.containsKey(sender)) {
            throw refuse("client " + sender + " sent shares twice");
        }
        Set<Integer> expected = new TreeSet<>(graph.neighbours(sender));
        expected.retainAll(advertised.keySet());
        Set<Integer> receivers = new HashSet<>();
        for (EncryptedShare share : message.shares()) {
            if (share.sender() != sender) {
                throw refuse("client " + sender + " sent a share claiming to be from client " + share.sender());
            }
            if (!expected.contains(share.receiver())) {
                throw refuse("client " + sender + " sent a share to client " + share.receiver()
                        + ", which is not one of its neighbours that advertised keys " + expected);
            }
            if (!receivers.add(share.receiver())) {
                throw refuse("client " + sender + " sent two shares to client " + share.receiver());
            }
            if (share.nonce().length != ShareCipher.NONCE_BYTES) {
                throw refuse("share from client " + sender + " to " + share.receiver() + " has a nonce of "
                        + share.nonce().length + " bytes, expected " + ShareCipher.NONCE_BYTES);
            }
        }
        if (!receivers.equals(expected)) {
            Set<Integer> missing = new TreeSet<>(expected);
            missing.removeAll(receivers);
            throw refuse("client " + sender + " sent no share to its neighbours " + missing);
        }
        shared.put(sender, message);
    }

    /** Ends {@link SecAggStage#SHARE_KEYS}: for each client that shared, the shares sealed for it by its neighbours. */
    public Map<Integer, ForwardedShares> closeSharing() {
        enter(SecAggStage.SHARE_KEYS);
        requireThreshold(shared.size(), "clients shared keys");
        Map<Integer, List<EncryptedShare>> inbox = new TreeMap<>();
        shared.keySet().forEach(client -> inbox.put(client, new ArrayList<>()));
        for (EncryptedShares message : shared.values()) {
            for (EncryptedShare share : message.shares()) {
                List<EncryptedShare> receiverInbox = inbox.get(share.receiver());
                if (receiverInbox != null) {
                    receiverInbox.add(share);
                }
            }
        }
        Map<Integer, ForwardedShares> messages = new TreeMap<>();
        inbox.forEach((client, shares) -> messages.put(client, new ForwardedShares(client, shares)));
        stage = SecAggStage.MASKED_INPUT;
        return messages;
    }

    /** Stage {@link SecAggStage#MASKED_INPUT}: folds one client's masked update into the sum and keeps nothing else. */
    public void acceptMaskedInput(MaskedInput input) {
        enter(SecAggStage.MASKED_INPUT);
        int sender = input.sender();
        requireKnown(sender, "sent a masked input");
        if (!shared.containsKey(sender)) {
            throw refuse("client " + sender + " sent a masked input but did not share keys");
        }
        if (masked.contains(sender)) {
            throw refuse("client " + sender + " sent a masked input twice");
        }
        if (input.update().length() != config.vectorLength()) {
            throw refuse("masked input from client " + sender + " has " + input.update().length()
                    + " values, round " + config.round() + " expects " + config.vectorLength());
        }
        input.update().addTo(sum);
        masked.add(sender);
    }

    /**
     * Ends {@link SecAggStage#MASKED_INPUT}: the survivor list for each survivor. Aborts already here when some mask
     * could not be removed because fewer than {@code t} of the owner's neighbours survived to reveal shares.
     */
    public Map<Integer, UnmaskingRequest> closeMaskedInput() {
        enter(SecAggStage.MASKED_INPUT);
        requireThreshold(masked.size(), "clients sent masked inputs");
        for (int client : shared.keySet()) {
            Set<Integer> holders = survivingHolders(client);
            boolean needed = masked.contains(client) || !survivingNeighbours(client).isEmpty();
            if (needed && holders.size() < config.threshold()) {
                throw abort("client " + client + (masked.contains(client) ? " (survivor)" : " (dropped)") + " has "
                        + holders.size() + " surviving holders of its shares, fewer than the threshold "
                        + config.threshold());
            }
        }
        List<Integer> survivors = List.copyOf(masked);
        Map<Integer, UnmaskingRequest> requests = new TreeMap<>();
        survivors.forEach(client -> requests.put(client, new UnmaskingRequest(client, survivors)));
        shared.clear();
        stage = SecAggStage.UNMASKING;
        return requests;
    }

    /**
     * Stage {@link SecAggStage#UNMASKING}: one survivor's revealed shares: of the self-mask seed of each surviving
     * neighbour and of the masking key of each neighbour that dropped after sharing keys.
     */
    public void acceptUnmaskingShares(UnmaskingShares message) {
        enter(SecAggStage.UNMASKING);
        int sender = message.sender();
        requireKnown(sender, "revealed shares");
        if (!masked.contains(sender)) {
            throw refuse("client " + sender + " revealed shares but its masked input is not in the sum");
        }
        if (revealed.containsKey(sender)) {
            throw refuse("client " + sender + " revealed shares twice");
        }
        Set<Integer> owners = new HashSet<>();
        for (RevealedShare share : message.shares()) {
            if (share.owner() != sender && (!graph.linked(sender, share.owner())
                    || !advertised.containsKey(share.owner()))) {
                throw refuse("client " + sender + " revealed a share of client " + share.owner()
                        + ", which is neither itself nor one of its neighbours in this round");
            }
            if (!owners.add(share.owner())) {
                throw refuse("client " + sender + " revealed two shares of client " + share.owner());
            }
            ShareKind expected = masked.contains(share.owner()) ? ShareKind.SELF_MASK_SEED : ShareKind.MASKING_KEY;
            if (share.kind() != expected) {
                throw refuse("client " + sender + " revealed a " + share.kind() + " share of client "
                        + share.owner() + ", which needs " + expected);
            }
            if (share.value().length != ShamirSharing.SHARE_BYTES) {
                throw refuse("client " + sender + " revealed a share of " + share.value().length + " bytes, expected "
                        + ShamirSharing.SHARE_BYTES);
            }
        }
        revealed.put(sender, message);
    }

    /**
     * Ends the round: reconstructs every needed seed and key from at least {@code t} shares, removes the masks and
     * returns the sum of the survivors' clipped updates. Aborts, releasing nothing, when fewer than {@code t}
     * survivors answered or some secret has fewer than {@code t} shares.
     */
    public AggregateSum unmaskSum() {
        enter(SecAggStage.UNMASKING);
        requireThreshold(revealed.size(), "survivors revealed shares");
        Map<Integer, List<Share>> sharesByOwner = new TreeMap<>();
        for (UnmaskingShares message : revealed.values()) {
            for (RevealedShare share : message.shares()) {
                sharesByOwner.computeIfAbsent(share.owner(), owner -> new ArrayList<>())
                        .add(Share.of(message.sender(), share.value()));
            }
        }
        List<Integer> dropped = new ArrayList<>();
        for (int owner : sharesByOwner.keySet()) {
            if (!masked.contains(owner)) {
                dropped.add(owner);
            }
        }
        // Every secret is rebuilt and checked before the sum is touched, so an abort leaves nothing half-unmasked.
        List<byte[]> added = new ArrayList<>();
        List<byte[]> subtracted = new ArrayList<>();
        for (int survivor : masked) {
            subtracted.add(reconstruct(sharesByOwner, survivor, "self-mask seed"));
        }
        for (int gone : dropped) {
            X25519PrivateKeyParameters maskingKey =
                    new X25519PrivateKeyParameters(reconstruct(sharesByOwner, gone, "masking key"));
            if (!Arrays.equals(KeyAgreement.publicKey(maskingKey), advertised.get(gone).maskingKey())) {
                throw abort("the masking key of client " + gone + " rebuilt from its neighbours' shares does not"
                        + " match the public key it advertised: the shares are inconsistent");
            }
            for (int survivor : survivingNeighbours(gone)) {
                byte[] seed = KeyAgreement.derive(KeyAgreement.PAIRWISE_MASK, config.round(), gone, survivor,
                        maskingKey, advertised.get(survivor).maskingKey());
                // The survivor added the pair's mask if its id is the lower one and subtracted it otherwise.
                (survivor < gone ? subtracted : added).add(seed);
            }
        }
        float[] unmasked = new float[sum.length];
        FixedPointQuantizer quantizer = config.quantizer();
        MaskExpansion.applyAll(added, subtracted, sum, unmaskingThreads,
                (from, to) -> quantizer.dequantizeSum(sum, from, to, unmasked));
        AggregateSum result = new AggregateSum(unmasked, List.copyOf(masked), dropped);
        close();
        return result;
    }

    private byte[] reconstruct(Map<Integer, List<Share>> sharesByOwner, int owner, String secret) {
        List<Share> shares = sharesByOwner.getOrDefault(owner, List.of());
        if (shares.size() < config.threshold()) {
            throw abort("the " + secret + " of client " + owner + " has " + shares.size() + " shares, fewer than the"
                    + " threshold " + config.threshold());
        }
        try {
            return ShamirSharing.combine(shares, config.threshold());
        } catch (IllegalArgumentException e) {
            throw abort("the " + secret + " of client " + owner + " cannot be rebuilt: " + e.getMessage());
        }
    }

    /** Who can reveal shares of {@code client}'s secrets: itself and its neighbours, if their input is in the sum. */
    private Set<Integer> survivingHolders(int client) {
        Set<Integer> holders = survivingNeighbours(client);
        if (masked.contains(client)) {
            holders.add(client);
        }
        return holders;
    }

    /** The neighbours of {@code client} whose masked input is in the sum. */
    private Set<Integer> survivingNeighbours(int client) {
        Set<Integer> holders = new TreeSet<>(graph.neighbours(client));
        holders.retainAll(masked);
        return holders;
    }

    private void requireThreshold(int count, String what) {
        if (count < config.threshold()) {
            throw abort(count + " of " + config.clients().size() + " " + what + ", fewer than the threshold "
                    + config.threshold());
        }
    }

    private void requireKnown(int client, String action) {
        if (!config.isClient(client)) {
            throw refuse("unknown client " + client + " " + action + "; round " + config.round() + " selected "
                    + config.clients());
        }
    }

    private void enter(SecAggStage expected) {
        if (closed) {
            throw new IllegalStateException("round " + config.round() + " is over (finished or aborted)");
        }
        if (stage != expected) {
            throw new IllegalStateException("round " + config.round() + " is at stage " + stage + ", not "
                    + expected);
        }
    }

    private SecAggMessageException refuse(String problem) {
        return new SecAggMessageException(stage, problem);
    }

    /** Clears everything a later call could release, then throws. */
    private SecAggAbortedException abort(String reason) {
        close();
        throw new SecAggAbortedException(stage, reason);
    }

    private void close() {
        closed = true;
        Arrays.fill(sum, 0);
        shared.clear();
        revealed.clear();
    }
}
