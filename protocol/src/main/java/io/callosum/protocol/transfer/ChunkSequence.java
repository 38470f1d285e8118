package io.callosum.protocol.transfer;

import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;

/**
 * Checks the chunks of one incoming blob against the rules documented on {@code BlobChunk} (transfer.proto):
 * contiguous offsets, sizes adding up to the declared total, and one agreed sha256.
 */
final class ChunkSequence {
    private long totalSize = -1;
    private long received;
    private BlobId declared;

    /** Accepts {@code chunk} as the next one, or explains why it cannot be. */
    void accept(BlobChunk chunk) throws ChunkSequenceException {
        if (totalSize < 0) {
            acceptFirst(chunk);
        } else if (received == totalSize) {
            throw new ChunkSequenceException("chunk at offset " + chunk.getOffset() + " arrived after the blob's "
                    + totalSize + " bytes were complete");
        } else if (chunk.getTotalSize() != 0 && chunk.getTotalSize() != totalSize) {
            throw new ChunkSequenceException("chunk at offset " + chunk.getOffset() + " declares total_size "
                    + chunk.getTotalSize() + " but the first chunk declared " + totalSize);
        }
        checkPlacement(chunk);
        received += chunk.getData().size();
        if (!chunk.getSha256().isEmpty()) {
            agreeOnHash(chunk);
        }
        if (received == totalSize && declared == null) {
            throw new ChunkSequenceException("the last chunk (offset " + chunk.getOffset() + ") carries no sha256");
        }
    }

    /** The hash every chunk agreed on, once the stream has ended. */
    BlobId finish() throws ChunkSequenceException {
        if (totalSize < 0) {
            throw new ChunkSequenceException("the stream ended before any chunk arrived");
        }
        if (received < totalSize) {
            throw new ChunkSequenceException("the stream ended after " + received + " of " + totalSize + " bytes");
        }
        return declared;
    }

    long received() {
        return received;
    }

    private void acceptFirst(BlobChunk chunk) throws ChunkSequenceException {
        if (chunk.getOffset() != 0) {
            throw new ChunkSequenceException("the first chunk starts at offset " + chunk.getOffset() + ", not 0");
        }
        if (chunk.getTotalSize() < 0) {
            throw new ChunkSequenceException("the first chunk declares a negative total_size " + chunk.getTotalSize());
        }
        totalSize = chunk.getTotalSize();
    }

    private void checkPlacement(BlobChunk chunk) throws ChunkSequenceException {
        long offset = chunk.getOffset();
        int length = chunk.getData().size();
        if (offset < received) {
            throw new ChunkSequenceException("chunk at offset " + offset + " overlaps the " + received
                    + " bytes already received");
        }
        if (offset > received) {
            throw new ChunkSequenceException("chunk at offset " + offset + " leaves a gap: only " + received
                    + " bytes were received before it");
        }
        if (length > totalSize - offset) {
            throw new ChunkSequenceException("chunk at offset " + offset + " with " + length
                    + " bytes goes beyond total_size " + totalSize);
        }
        if (length == 0 && totalSize > 0) {
            throw new ChunkSequenceException("chunk at offset " + offset + " carries no data");
        }
    }

    private void agreeOnHash(BlobChunk chunk) throws ChunkSequenceException {
        BlobId id;
        try {
            id = BlobId.of(chunk.getSha256());
        } catch (IllegalArgumentException e) {
            throw new ChunkSequenceException("chunk at offset " + chunk.getOffset() + ": " + e.getMessage());
        }
        if (declared != null && !declared.equals(id)) {
            throw new ChunkSequenceException("chunk at offset " + chunk.getOffset() + " declares sha256 " + id
                    + " but an earlier chunk declared " + declared);
        }
        declared = id;
    }
}
