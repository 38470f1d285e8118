package io.callosum.protocol.transfer;

import com.google.protobuf.ByteString;
import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChunkSequenceTest {
    private static final String HASH = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";
    private static final String OTHER = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @Test
    void acceptsContiguousChunksWithTheHashOnTheLast() throws ChunkSequenceException {
        ChunkSequence sequence = new ChunkSequence();
        sequence.accept(chunk(0, 10, 4, ""));
        sequence.accept(chunk(4, 0, 4, ""));
        sequence.accept(chunk(8, 10, 2, HASH));

        assertEquals(BlobId.of(HASH), sequence.finish());
        assertEquals(10, sequence.received());
    }

    @Test
    void acceptsTheHashOnTheFirstChunkToo() throws ChunkSequenceException {
        ChunkSequence sequence = new ChunkSequence();
        sequence.accept(chunk(0, 6, 3, HASH));
        sequence.accept(chunk(3, 0, 3, HASH));

        assertEquals(BlobId.of(HASH), sequence.finish());
    }

    @Test
    void acceptsAnEmptyBlobAsOneChunk() throws ChunkSequenceException {
        ChunkSequence sequence = new ChunkSequence();
        sequence.accept(chunk(0, 0, 0, OTHER));

        assertEquals(BlobId.of(OTHER), sequence.finish());
    }

    @Test
    void refusesAGap() {
        assertRefused("leaves a gap: only 4 bytes", chunk(0, 10, 4, ""), chunk(5, 0, 5, HASH));
    }

    @Test
    void refusesAnOverlap() {
        assertRefused("overlaps the 4 bytes already received", chunk(0, 10, 4, ""), chunk(3, 0, 7, HASH));
    }

    @Test
    void refusesAFirstChunkNotAtZero() {
        assertRefused("starts at offset 2, not 0", chunk(2, 10, 4, ""));
    }

    @Test
    void refusesBytesBeyondTheDeclaredTotal() {
        assertRefused("goes beyond total_size 6", chunk(0, 6, 4, ""), chunk(4, 0, 4, HASH));
    }

    @Test
    void refusesAChunkAfterTheLast() {
        assertRefused("after the blob's 4 bytes were complete", chunk(0, 4, 4, HASH), chunk(4, 0, 1, HASH));
    }

    @Test
    void refusesAChangedTotal() {
        assertRefused("declares total_size 12 but the first chunk declared 10", chunk(0, 10, 4, ""), chunk(4, 12, 4, ""));
    }

    @Test
    void refusesALastChunkWithoutHash() {
        assertRefused("carries no sha256", chunk(0, 4, 4, ""));
    }

    @Test
    void refusesDisagreeingHashesNamingBoth() {
        ChunkSequenceException refused = assertRefused("declares sha256 " + OTHER + " but an earlier chunk declared " + HASH,
                chunk(0, 6, 3, HASH), chunk(3, 0, 3, OTHER));
        assertTrue(refused.getMessage().contains("offset 3"), refused.getMessage());
    }

    @Test
    void refusesMalformedHashText() {
        assertRefused("not a SHA-256", chunk(0, 4, 4, HASH.toUpperCase()));
    }

    @Test
    void refusesEmptyChunksOfANonEmptyBlob() {
        assertRefused("carries no data", chunk(0, 4, 0, ""));
    }

    @Test
    void refusesAStreamThatEndsEarly() throws ChunkSequenceException {
        ChunkSequence sequence = new ChunkSequence();
        sequence.accept(chunk(0, 10, 4, HASH));

        ChunkSequenceException refused = assertThrows(ChunkSequenceException.class, sequence::finish);
        assertTrue(refused.getMessage().contains("ended after 4 of 10 bytes"), refused.getMessage());
        assertThrows(ChunkSequenceException.class, () -> new ChunkSequence().finish());
    }

    private static ChunkSequenceException assertRefused(String reason, BlobChunk... chunks) {
        ChunkSequence sequence = new ChunkSequence();
        ChunkSequenceException refused = assertThrows(ChunkSequenceException.class, () -> {
            for (BlobChunk chunk : chunks) {
                sequence.accept(chunk);
            }
        });
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
        return refused;
    }

    static BlobChunk chunk(long offset, long totalSize, int length, String sha256) {
        return BlobChunk.newBuilder().setOffset(offset).setTotalSize(totalSize).setSha256(sha256)
                .setData(ByteString.copyFrom(new byte[length])).build();
    }
}
