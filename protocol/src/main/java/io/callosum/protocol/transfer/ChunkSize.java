package io.callosum.protocol.transfer;

/**
 * How many data bytes one {@code BlobChunk} may carry so that the whole message stays within a gRPC message
 * limit. The other fields, the data field's tag and its length prefix take at most 94 bytes; the reserve is
 * rounded up generously so that adding a field later cannot push a chunk over the limit.
 */
public record ChunkSize(int maxMessageBytes) {
    /** Callosum's default per-message limit; Flower's own limit is 2 GiB - 1. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;
    static final int FRAMING_RESERVE = 1024;
    private static final int SMALLEST_LIMIT = 2 * FRAMING_RESERVE;

    public ChunkSize {
        if (maxMessageBytes < SMALLEST_LIMIT) {
            throw new IllegalArgumentException("message limit of " + maxMessageBytes + " bytes is too small for chunked"
                    + " transfer; it must be at least " + SMALLEST_LIMIT);
        }
    }

    public int dataBytes() {
        return maxMessageBytes - FRAMING_RESERVE;
    }

    /** How many chunks a blob of {@code totalBytes} travels in (an empty blob still takes one). */
    public long chunksFor(long totalBytes) {
        return Math.max(1, (totalBytes + dataBytes() - 1) / dataBytes());
    }
}
