package io.callosum.protocol.transfer;

import java.io.IOException;

/** A stream of blob chunks that breaks the rules of {@code BlobChunk}: the message says which rule and where. */
public class ChunkSequenceException extends IOException {
    public ChunkSequenceException(String message) {
        super(message);
    }
}
