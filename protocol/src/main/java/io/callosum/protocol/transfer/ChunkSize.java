package io.callosum.protocol.transfer;

/**
 * How many data bytes one {@code BlobChunk} carries: {@code min(DATA_CAP, maxMessageBytes - FRAMING_RESERVE)}.
 * The message limit is only a ceiling that every chunk must stay under; it is not a target. Chunks as large as
 * the limit allows (64 MiB by default) halved throughput on loopback: each one is a fresh humongous heap
 * allocation on every side that touches it, a 64 MiB temporary direct buffer inside the file channel, and a
 * message that gRPC must hold whole before it can deliver any of it. Chunks of {@link #DATA_CAP} keep every
 * buffer in the young generation and several chunks in flight within HTTP/2's flow-control window.
 * <p>
 * The other fields, the data field's tag and its length prefix take at most 94 bytes; the reserve is rounded up
 * generously so that adding a field later cannot push a chunk over the limit.
 */
public record ChunkSize(int maxMessageBytes) {
    /** Callosum's default per-message limit; Flower's own limit is 2 GiB - 1. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 << 20;
    /**
     * The most data one chunk carries whatever the limit. Small enough to stay below G1's humongous-object
     * threshold (half a region, and regions are at least 1 MiB) and below the 1 MiB flow-control window that
     * grpc-java's Netty transport opens by default; large enough that per-message overhead is noise.
     */
    static final int DATA_CAP = 256 << 10;
    static final int FRAMING_RESERVE = 1024;
    private static final int SMALLEST_LIMIT = 2 * FRAMING_RESERVE;

    public ChunkSize {
        if (maxMessageBytes < SMALLEST_LIMIT) {
            throw new IllegalArgumentException("message limit of " + maxMessageBytes + " bytes is too small for chunked"
                    + " transfer; it must be at least " + SMALLEST_LIMIT);
        }
    }

    public int dataBytes() {
        return Math.min(DATA_CAP, maxMessageBytes - FRAMING_RESERVE);
    }

    /** How many chunks a blob of {@code totalBytes} travels in (an empty blob still takes one). */
    public long chunksFor(long totalBytes) {
        return Math.max(1, (totalBytes + dataBytes() - 1) / dataBytes());
    }
}
