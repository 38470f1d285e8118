package io.callosum.protocol.secagg;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A client's quantized update with its self-mask and pairwise masks added, as uint32 words mod 2^32. Without the
 * client's self-mask seed it is indistinguishable from uniform noise, and that seed is only ever reconstructed for
 * clients whose masked updates are summed with others'; no method here or in {@link SecureAggregator} turns one
 * masked update back into its plaintext. The words stay inside: the aggregator folds them into its running sum,
 * and transport gets a little-endian byte copy.
 *
 * <p>The words are held as the little-endian bytes they travel as, so a received update is folded straight from the
 * bytes it arrived in, as plain aggregation folds a {@code .npy} view of its bytes: a model's worth of words is
 * neither copied nor converted on the way into the sum.
 */
public final class MaskedUpdate {
    private static final VarHandle LITTLE_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final byte[] littleEndianWords;

    private MaskedUpdate(byte[] littleEndianWords) {
        this.littleEndianWords = littleEndianWords;
    }

    /** The client's masked words, copied into their transport form. */
    static MaskedUpdate of(int[] words) {
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(words.length, Integer.BYTES))
                .order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(words);
        return new MaskedUpdate(bytes.array());
    }

    /**
     * A masked update received as little-endian uint32 bytes (as {@link #toLittleEndianBytes()} wrote them). The
     * array is taken over, not copied: a transport hands over the buffer it received, and the aggregator folds the
     * words into its sum on acceptance, so nothing written to the array afterwards reaches the sum.
     */
    public static MaskedUpdate fromLittleEndianBytes(byte[] bytes) {
        if (bytes.length % Integer.BYTES != 0) {
            throw new IllegalArgumentException("masked update of " + bytes.length + " bytes is not a whole number of"
                    + " uint32 words");
        }
        return new MaskedUpdate(bytes);
    }

    public byte[] toLittleEndianBytes() {
        return littleEndianWords.clone();
    }

    public int length() {
        return littleEndianWords.length / Integer.BYTES;
    }

    /** Adds these words into the aggregator's running sum (mod 2^32). */
    void addTo(int[] sum) {
        for (int i = 0; i < sum.length; i++) {
            sum[i] += (int) LITTLE_ENDIAN_INT.get(littleEndianWords, i * Integer.BYTES);
        }
    }
}
