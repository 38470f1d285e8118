package io.callosum.protocol.secagg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A client's quantized update with its self-mask and pairwise masks added, as uint32 words mod 2^32. Without the
 * client's self-mask seed it is indistinguishable from uniform noise, and that seed is only ever reconstructed for
 * clients whose masked updates are summed with others'; no method here or in {@link SecureAggregator} turns one
 * masked update back into its plaintext. The words stay inside: the aggregator folds them into its running sum,
 * and transport gets a little-endian byte copy.
 */
public final class MaskedUpdate {
    private final int[] words;

    MaskedUpdate(int[] words) {
        this.words = words;
    }

    /** A masked update received as little-endian uint32 bytes (as {@link #toLittleEndianBytes()} wrote them). */
    public static MaskedUpdate fromLittleEndianBytes(byte[] bytes) {
        if (bytes.length % Integer.BYTES != 0) {
            throw new IllegalArgumentException("masked update of " + bytes.length + " bytes is not a whole number of"
                    + " uint32 words");
        }
        int[] words = new int[bytes.length / Integer.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(words);
        return new MaskedUpdate(words);
    }

    public byte[] toLittleEndianBytes() {
        ByteBuffer bytes = ByteBuffer.allocate(words.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asIntBuffer().put(words);
        return bytes.array();
    }

    public int length() {
        return words.length;
    }

    /** Adds these words into the aggregator's running sum (mod 2^32). */
    void addTo(int[] sum) {
        for (int i = 0; i < words.length; i++) {
            sum[i] += words[i];
        }
    }
}
