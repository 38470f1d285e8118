package io.callosum.protocol.secagg;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Expands a 32-byte seed into a stream of uint32 words: the AES-256-CTR keystream under the seed, read as
 * little-endian words. The JDK's AES/CTR runs on AES-NI, which makes masking memory-bound rather than cipher-bound.
 *
 * <p>The counter (the IV, a big-endian block number) starts at zero: every seed expanded here is used for exactly one vector (self-mask seeds are fresh
 * per round, pairwise seeds are derived with the round id), so a fixed IV never repeats a keystream.
 */
public final class MaskExpansion {
    public static final int SEED_BYTES = 32;
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int CHUNK_WORDS = CHUNK_BYTES / Integer.BYTES;
    private static final int BLOCK_BYTES = 16;
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] zeros = new byte[CHUNK_BYTES];
    private final byte[] keystream = new byte[CHUNK_BYTES];

    /** Adds the seed's words to {@code target} (mod 2^32). */
    public void add(byte[] seed, int[] target) {
        accumulate(seed, target, 0, target.length, false);
    }

    /** Subtracts the seed's words from {@code target} (mod 2^32). */
    public void subtract(byte[] seed, int[] target) {
        accumulate(seed, target, 0, target.length, true);
    }

    /**
     * Adds the streams of {@code added} and subtracts those of {@code subtracted}, on {@code threads} threads each
     * owning one contiguous range of {@code target}: CTR mode can start the keystream at any block, so the ranges
     * need no shared state and the result is the same as one thread's.
     */
    public static void applyAll(List<byte[]> added, List<byte[]> subtracted, int[] target, int threads) {
        int wordsPerBlock = BLOCK_BYTES / Integer.BYTES;
        int ranges = Math.max(1, Math.min(threads, target.length / CHUNK_WORDS));
        int rangeWords = ((target.length + ranges - 1) / ranges + wordsPerBlock - 1) / wordsPerBlock * wordsPerBlock;
        Runnable[] tasks = new Runnable[ranges];
        for (int r = 0; r < ranges; r++) {
            int from = Math.min(target.length, r * rangeWords);
            int to = Math.min(target.length, from + rangeWords);
            tasks[r] = () -> {
                MaskExpansion expansion = new MaskExpansion();
                added.forEach(seed -> expansion.accumulate(seed, target, from, to, false));
                subtracted.forEach(seed -> expansion.accumulate(seed, target, from, to, true));
            };
        }
        if (ranges == 1) {
            tasks[0].run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(ranges, runnable -> {
            Thread thread = new Thread(runnable, "secagg-unmask");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> running = new ArrayList<>();
            for (Runnable task : tasks) {
                running.add(pool.submit(task));
            }
            for (Future<?> task : running) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while removing masks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("removing masks failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** The first {@code count} words of the seed's stream. */
    public int[] words(byte[] seed, int count) {
        int[] words = new int[count];
        add(seed, words);
        return words;
    }

    /** Words {@code [from, to)} of the stream into the same positions of {@code target}; {@code from} starts a block. */
    private void accumulate(byte[] seed, int[] target, int from, int to, boolean subtract) {
        Cipher cipher = keystreamCipher(seed, from / (BLOCK_BYTES / Integer.BYTES));
        for (int start = from; start < to; start += CHUNK_WORDS) {
            int words = Math.min(CHUNK_WORDS, to - start);
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

    private static Cipher keystreamCipher(byte[] seed, long firstBlock) {
        if (seed.length != SEED_BYTES) {
            throw new IllegalArgumentException("mask seed must have " + SEED_BYTES + " bytes, got " + seed.length);
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, "AES"), new IvParameterSpec(
                    ByteBuffer.allocate(BLOCK_BYTES).putLong(BLOCK_BYTES - Long.BYTES, firstBlock).array()));
            return cipher;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/CTR/NoPadding is unavailable in this JVM", e);
        }
    }
}
