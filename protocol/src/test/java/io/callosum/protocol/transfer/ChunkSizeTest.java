package io.callosum.protocol.transfer;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChunkSizeTest {
    @Test
    void aGenerousLimitIsACeilingNotATarget() {
        ChunkSize size = new ChunkSize(ChunkSize.DEFAULT_MAX_MESSAGE_BYTES);

        assertEquals(ChunkSize.DATA_CAP, size.dataBytes());
        assertEquals(4096, size.chunksFor(1L << 30));
    }

    @Test
    void aTightLimitLeavesRoomForTheFraming() {
        int limit = ChunkSize.DATA_CAP / 2;

        assertEquals(limit - ChunkSize.FRAMING_RESERVE, new ChunkSize(limit).dataBytes());
    }

    @Test
    void anEmptyBlobStillTakesOneChunk() {
        assertEquals(1, new ChunkSize(ChunkSize.DEFAULT_MAX_MESSAGE_BYTES).chunksFor(0));
    }

    @Test
    void aLimitWithNoRoomForDataIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ChunkSize(ChunkSize.FRAMING_RESERVE));
    }
}
