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
 * Expands 32-byte seeds into streams of uint32 words: the AES-256-CTR keystream under the seed, read as
 * little-endian words, added to or subtracted from a vector mod 2^32. The JDK's AES/CTR runs on AES-NI.
 *
 * <p>The counter (the IV, a big-endian block number) starts at zero: every seed expanded here is used for exactly one
 * vector (self-mask seeds are fresh per round, pairwise seeds are derived with the round id), so a fixed IV never
 * repeats a keystream.
 */
public final class MaskExpansion {
    public static final int SEED_BYTES = 32;
    /**
     * Words of each stream applied to the vector before the next seed's turn: 16 KiB of keystream, the zeros it is
     * encrypted from and the vector's chunk stay in a core's L1 cache (48 KiB), and one cipher call per 16 KiB keeps
     * the call's fixed cost small beside the AES work. Larger chunks spill to L2 and were measured slower.
     */
    private static final int CHUNK_WORDS = 4096;
    private static final int CHUNK_BYTES = CHUNK_WORDS * Integer.BYTES;
    /** CTR encryption of zeros is the bare keystream. Only ever read, so every thread shares it. */
    private static final byte[] ZEROS = new byte[CHUNK_BYTES];
    private static final int BLOCK_BYTES = 16;
    private static final int WORDS_PER_BLOCK = BLOCK_BYTES / Integer.BYTES;
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** What to do with words {@code [from, to)} of the vector once every stream was applied to them. */
    @FunctionalInterface
    interface ChunkAction {
        void apply(int from, int to);
    }

    private MaskExpansion() {
    }

    /** The first {@code count} words of the seed's stream. */
    public static int[] words(byte[] seed, int count) {
        int[] words = new int[count];
        applyAll(List.of(seed), List.of(), words, 1);
        return words;
    }

    /**
     * Adds the streams of {@code added} and subtracts those of {@code subtracted}. The vector is walked once, chunk by
     * chunk, applying every seed to a chunk while it is in cache, so the cost is the cipher's, not the memory's. With
     * several {@code threads} each owns one contiguous range: CTR mode starts the keystream at any block, so the
     * ranges share nothing and the result is the same as one thread's.
     */
    public static void applyAll(List<byte[]> added, List<byte[]> subtracted, int[] target, int threads) {
        applyAll(added, subtracted, target, threads, (from, to) -> {
        });
    }

    /**
     * As {@link #applyAll(List, List, int[], int)}, then {@code finished} on each chunk while it is still in cache,
     * on the thread that owns its range, so a pass that reads the result (the aggregator's dequantization) costs no
     * trip to memory of its own.
     */
    static void applyAll(List<byte[]> added, List<byte[]> subtracted, int[] target, int threads,
                         ChunkAction finished) {
        int ranges = Math.max(1, Math.min(threads, target.length / CHUNK_WORDS));
        int rangeWords = ((target.length + ranges - 1) / ranges + WORDS_PER_BLOCK - 1) / WORDS_PER_BLOCK
                * WORDS_PER_BLOCK;
        Runnable[] tasks = new Runnable[ranges];
        for (int r = 0; r < ranges; r++) {
            int from = Math.min(target.length, r * rangeWords);
            int to = Math.min(target.length, from + rangeWords);
            tasks[r] = () -> applyToRange(added, subtracted, target, from, to, finished);
        }
        if (ranges == 1) {
            tasks[0].run();
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(ranges, runnable -> {
            Thread thread = new Thread(runnable, "secagg-masks");
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
            throw new IllegalStateException("interrupted while applying masks", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("applying masks failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Words {@code [from, to)} of every stream into the same positions of {@code target}; {@code from} starts a block. */
    private static void applyToRange(List<byte[]> added, List<byte[]> subtracted, int[] target, int from, int to,
                                     ChunkAction finished) {
        long firstBlock = from / WORDS_PER_BLOCK;
        List<Cipher> adding = new ArrayList<>();
        added.forEach(seed -> adding.add(keystreamCipher(seed, firstBlock)));
        List<Cipher> subtracting = new ArrayList<>();
        subtracted.forEach(seed -> subtracting.add(keystreamCipher(seed, firstBlock)));
        byte[] keystream = new byte[CHUNK_BYTES];
        for (int start = from; start < to; start += CHUNK_WORDS) {
            int words = Math.min(CHUNK_WORDS, to - start);
            for (Cipher cipher : adding) {
                next(cipher, keystream, words);
                for (int i = 0; i < words; i++) {
                    target[start + i] += (int) LITTLE_ENDIAN_INT.get(keystream, i * Integer.BYTES);
                }
            }
            for (Cipher cipher : subtracting) {
                next(cipher, keystream, words);
                for (int i = 0; i < words; i++) {
                    target[start + i] -= (int) LITTLE_ENDIAN_INT.get(keystream, i * Integer.BYTES);
                }
            }
            finished.apply(start, start + words);
        }
    }

    private static void next(Cipher cipher, byte[] keystream, int words) {
        try {
            cipher.update(ZEROS, 0, words * Integer.BYTES, keystream, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR keystream failed", e);
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
