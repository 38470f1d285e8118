package io.callosum.protocol.transfer;

import com.google.protobuf.UnsafeByteOperations;
import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Streams one file as {@code BlobChunk}s, hashing as it reads so the last chunk can carry the sha256. It sends
 * only while the transport is ready and resumes from gRPC's on-ready callback, so at most about one chunk is
 * held in memory however large the file.
 */
final class ChunkSender {
    private final Path file;
    private final FileChannel source;
    private final long totalSize;
    private final int chunkBytes;
    private final MessageDigest digest = Sha256.newDigest();
    private long sent;
    private int chunks;
    private boolean finished;
    private BlobId sentId;
    private IOException failure;

    ChunkSender(Path file, ChunkSize chunkSize) throws IOException {
        this.file = file;
        this.source = FileChannel.open(file, StandardOpenOption.READ);
        this.totalSize = source.size();
        this.chunkBytes = chunkSize.dataBytes();
    }

    /**
     * Sends chunks to {@code out} until its transport pushes back or the file is done; meant as the call's
     * on-ready handler, and safe to call again at any time.
     */
    synchronized void sendWhileReady(CallStreamObserver<BlobChunk> out) {
        try {
            while (!finished && out.isReady()) {
                out.onNext(nextChunk());
            }
            if (finished && sentId != null && source.isOpen()) {
                source.close();
                out.onCompleted();
            }
        } catch (IOException e) {
            failure = e;
            abandon();
            out.onError(Status.INTERNAL.withDescription("could not read " + file + ": " + e.getMessage())
                    .withCause(e).asRuntimeException());
        }
    }

    /** Stops sending and releases the file, e.g. when the peer cancelled. */
    synchronized void abandon() {
        finished = true;
        try {
            source.close();
        } catch (IOException e) {
            // Only a read-only file handle is released here; there is nothing left to lose.
        }
    }

    synchronized long totalSize() {
        return totalSize;
    }

    synchronized int chunksSent() {
        return chunks;
    }

    /** The sha256 of everything sent; null until the last chunk went out. */
    synchronized BlobId sentId() {
        return sentId;
    }

    /** Why sending stopped early; null when it did not fail. */
    synchronized IOException failure() {
        return failure;
    }

    private BlobChunk nextChunk() throws IOException {
        ByteBuffer data = ByteBuffer.allocate((int) Math.min(chunkBytes, totalSize - sent));
        while (data.hasRemaining()) {
            if (source.read(data, sent + data.position()) < 0) {
                throw new IOException(file + " ended after " + (sent + data.position()) + " of " + totalSize
                        + " bytes; it changed while being sent");
            }
        }
        data.flip();
        digest.update(data.duplicate());
        BlobChunk.Builder chunk = BlobChunk.newBuilder().setOffset(sent).setData(UnsafeByteOperations.unsafeWrap(data));
        if (sent == 0) {
            chunk.setTotalSize(totalSize);
        }
        sent += data.limit();
        chunks++;
        if (sent == totalSize) {
            sentId = Sha256.idOf(digest);
            chunk.setSha256(sentId.sha256());
            finished = true;
        }
        return chunk.build();
    }
}
