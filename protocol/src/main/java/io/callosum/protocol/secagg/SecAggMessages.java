package io.callosum.protocol.secagg;

import java.util.List;

/**
 * The messages of one SecAgg+ round, one pair per stage (client to server, then server to each client). They are
 * plain data so that a transport can carry them in Flower's {@code FitIns}/{@code FitRes} config maps and parameters;
 * every byte array is copied in and out, so a message cannot change after it was validated.
 */
public final class SecAggMessages {
    private SecAggMessages() {
    }

    /** {@link SecAggStage#ADVERTISE_KEYS}, client to server: the client's two X25519 public keys for this round. */
    public record AdvertisedKeys(int client, byte[] encryptionKey, byte[] maskingKey) {
        public AdvertisedKeys {
            encryptionKey = encryptionKey.clone();
            maskingKey = maskingKey.clone();
        }

        @Override
        public byte[] encryptionKey() {
            return encryptionKey.clone();
        }

        @Override
        public byte[] maskingKey() {
            return maskingKey.clone();
        }
    }

    /** {@link SecAggStage#ADVERTISE_KEYS}, server to client: the keys of the receiver's neighbours that advertised. */
    public record NeighbourKeys(int receiver, List<AdvertisedKeys> neighbours) {
        public NeighbourKeys {
            neighbours = List.copyOf(neighbours);
        }
    }

    /** One client's shares for one neighbour, sealed with AES-GCM under their pairwise share-encryption key. */
    public record EncryptedShare(int sender, int receiver, byte[] nonce, byte[] ciphertext) {
        public EncryptedShare {
            nonce = nonce.clone();
            ciphertext = ciphertext.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }
    }

    /** {@link SecAggStage#SHARE_KEYS}, client to server: one sealed share per neighbour that advertised keys. */
    public record EncryptedShares(int sender, List<EncryptedShare> shares) {
        public EncryptedShares {
            shares = List.copyOf(shares);
        }
    }

    /** {@link SecAggStage#SHARE_KEYS}, server to client: the sealed shares addressed to the receiver. */
    public record ForwardedShares(int receiver, List<EncryptedShare> shares) {
        public ForwardedShares {
            shares = List.copyOf(shares);
        }
    }

    /** {@link SecAggStage#MASKED_INPUT}, client to server. */
    public record MaskedInput(int sender, MaskedUpdate update) {
    }

    /**
     * {@link SecAggStage#MASKED_INPUT}, server to client: every client whose masked input the server summed; the
     * receiver's neighbours that shared keys but are not listed count as dropped.
     */
    public record UnmaskingRequest(int receiver, List<Integer> survivors) {
        public UnmaskingRequest {
            survivors = List.copyOf(survivors);
        }
    }

    /** Which secret a revealed share belongs to; a client reveals at most one kind per peer. */
    public enum ShareKind {
        /** Of a survivor's self-mask seed b_u, to remove its self-mask from the sum. */
        SELF_MASK_SEED,
        /** Of a dropped client's masking private key s_u^SK, to remove the pairwise masks its neighbours added. */
        MASKING_KEY
    }

    /** A share, held by the sender, of a secret of client {@code owner}. */
    public record RevealedShare(int owner, ShareKind kind, byte[] value) {
        public RevealedShare {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public String toString() {
            return "RevealedShare[owner=" + owner + ", kind=" + kind + ", " + value.length + " bytes]";
        }
    }

    /** {@link SecAggStage#UNMASKING}, client to server. */
    public record UnmaskingShares(int sender, List<RevealedShare> shares) {
        public UnmaskingShares {
            shares = List.copyOf(shares);
        }
    }

    /** What a round releases: the sum of the contributors' clipped updates, and who contributed. */
    public record AggregateSum(float[] sum, List<Integer> contributors, List<Integer> dropped) {
        public AggregateSum {
            sum = sum.clone();
            contributors = List.copyOf(contributors);
            dropped = List.copyOf(dropped);
        }

        @Override
        public float[] sum() {
            return sum.clone();
        }

        public float[] mean() {
            float[] mean = sum.clone();
            for (int i = 0; i < mean.length; i++) {
                mean[i] /= contributors.size();
            }
            return mean;
        }

        @Override
        public String toString() {
            return "AggregateSum[" + sum.length + " values, contributors=" + contributors + ", dropped=" + dropped
                    + "]";
        }
    }
}
