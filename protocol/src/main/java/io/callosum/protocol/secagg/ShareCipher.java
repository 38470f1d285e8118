package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.SecAggMessages.EncryptedShare;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * AES-256-GCM for shares that travel from one client to another through the server, which must be unable to read
 * or alter them. The associated data binds the round and the sender and receiver ids, so a ciphertext replayed into
 * another round or re-addressed to another client fails authentication.
 */
final class ShareCipher {
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private ShareCipher() {
    }

    static EncryptedShare encrypt(byte[] key, int round, int sender, int receiver, byte[] plaintext,
                                  SecureRandom random) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
            cipher.updateAAD(associatedData(round, sender, receiver));
            return new EncryptedShare(sender, receiver, nonce, cipher.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /** The plaintext, or a {@link SecAggMessageException} when the tag does not verify. */
    static byte[] decrypt(byte[] key, int round, EncryptedShare share) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, share.nonce());
            cipher.updateAAD(associatedData(round, share.sender(), share.receiver()));
            return cipher.doFinal(share.ciphertext());
        } catch (AEADBadTagException e) {
            throw new SecAggMessageException(SecAggStage.SHARE_KEYS, "share from client " + share.sender()
                    + " to client " + share.receiver() + " failed authentication (AES-GCM tag mismatch):"
                    + " altered in transit, or not encrypted for this round and pair");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    private static Cipher cipher(int mode, byte[] key, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        return cipher;
    }

    private static byte[] associatedData(int round, int sender, int receiver) {
        return ByteBuffer.allocate(3 * Integer.BYTES).putInt(round).putInt(sender).putInt(receiver).array();
    }
}
