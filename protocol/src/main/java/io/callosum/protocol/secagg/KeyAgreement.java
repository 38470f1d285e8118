package io.callosum.protocol.secagg;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * X25519 agreement between two clients, stretched by HKDF-SHA256 into a 32-byte key for one purpose. The salt binds
 * the round id, the info binds the purpose and the unordered pair of client ids, so the key that encrypts shares and
 * the seed that masks updates differ even for the same pair, and neither repeats in another round.
 */
public final class KeyAgreement {
    /** The info label of the AES-GCM key that encrypts shares between two clients. */
    public static final String SHARE_ENCRYPTION = "callosum/secagg/share-encryption/v1";
    /** The info label of the seed whose AES-CTR stream is the pairwise mask between two clients. */
    public static final String PAIRWISE_MASK = "callosum/secagg/pairwise-mask/v1";
    private static final byte[] SALT_PREFIX = "callosum/secagg/round".getBytes(StandardCharsets.US_ASCII);

    private KeyAgreement() {
    }

    /**
     * The key for {@code purpose} between {@code self} (holding {@code privateKey}) and {@code peer} (whose public key
     * is {@code peerPublicKey}); both ends derive the same bytes.
     */
    public static byte[] derive(String purpose, int round, int self, int peer, X25519PrivateKeyParameters privateKey,
                                byte[] peerPublicKey) {
        if (peerPublicKey.length != X25519PublicKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("public key of client " + peer + " must have "
                    + X25519PublicKeyParameters.KEY_SIZE + " bytes, got " + peerPublicKey.length);
        }
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(privateKey);
        byte[] shared = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublicKey), shared, 0);
        } catch (IllegalStateException e) {
            // Bouncy Castle refuses an all-zero result: the peer sent a low-order point, which would fix the key.
            throw new IllegalArgumentException("public key of client " + peer + " is a low-order point", e);
        }
        byte[] label = purpose.getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(label.length + 2 * Integer.BYTES).put(label)
                .putInt(Math.min(self, peer)).putInt(Math.max(self, peer)).array();
        byte[] salt = ByteBuffer.allocate(SALT_PREFIX.length + Integer.BYTES).put(SALT_PREFIX).putInt(round).array();
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(shared, salt, info));
        byte[] key = new byte[MaskExpansion.SEED_BYTES];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    /** The public key of a private key, as the 32 bytes a client advertises. */
    public static byte[] publicKey(X25519PrivateKeyParameters privateKey) {
        return privateKey.generatePublicKey().getEncoded();
    }
}
