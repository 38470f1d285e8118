package io.callosum.protocol.secagg;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;

/**
 * Expands a 32-byte seed into a stream of uint32 words: the AES-256-CTR keystream under the seed, read as
 * little-endian words. The JDK's AES/CTR runs on AES-NI, which makes masking memory-bound rather than cipher-bound.
 *
 * <p>The counter starts at zero: every seed expanded here is used for exactly one vector (self-mask seeds are fresh
 * per round, pairwise seeds are derived with the round id), so a fixed IV never repeats a keystream.
 */
public final class MaskExpansion {
    public static final int SEED_BYTES = 32;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] zeros = new byte[CHUNK_BYTES];
    private final byte[] keystream = new byte[CHUNK_BYTES];

    /** Adds the seed's words to {@code target} (mod 2^32). */
    public void add(byte[] seed, int[] target) {
        accumulate(seed, target, false);
    }

    /** Subtracts the seed's words from {@code target} (mod 2^32). */
    public void subtract(byte[] seed, int[] target) {
        accumulate(seed, target, true);
    }

    /** The first {@code count} words of the seed's stream. */
    public int[] words(byte[] seed, int count) {
        int[] words = new int[count];
        add(seed, words);
        return words;
    }

    private void accumulate(byte[] seed, int[] target, boolean subtract) {
        Cipher cipher = keystreamCipher(seed);
        int wordsPerChunk = CHUNK_BYTES / Integer.BYTES;
        for (int start = 0; start < target.length; start += wordsPerChunk) {
            int words = Math.min(wordsPerChunk, target.length - start);
            try {
                cipher.update(zeros, 0, words * Integer.BYTES, keystream, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES-CTR keystream failed", e);
            }
            if (subtract) {
                for (int i = 0; i < words; i++) {
                    target[start + i] -= (int) LITTLE_ENDIAN_INT.get(keystream, i * Integer.BYTES);
                }
            } else {
                for (int i = 0; i < words; i++) {
                    target[start + i] += (int) LITTLE_ENDIAN_INT.get(keystream, i * Integer.BYTES);
                }
            }
        }
    }

    private static Cipher keystreamCipher(byte[] seed) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("mask seed must have " + SEED_BYTES + " bytes, got " + seed.length);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(new byte[16]));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding is unavailable in this JVM", e);
        }
    }
}
