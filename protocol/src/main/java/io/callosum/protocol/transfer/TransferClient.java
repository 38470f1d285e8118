package io.callosum.protocol.transfer;

import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.proto.TensorTransferGrpc;
import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.callosum.protocol.transfer.proto.Transfer.BlobReceipt;
import io.callosum.protocol.transfer.proto.Transfer.BlobRequest;
import io.grpc.Channel;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Moves blobs to and from a {@link TransferService} in chunks that keep every message within
 * {@code maxMessageBytes}, and checks every blob's sha256 on arrival. The channel's own inbound limit should be
 * the same; this client holds its calls to that limit either way.
 */
public final class TransferClient {
    /** The file name suffix of the tensor archives {@link #downloadTensors} keeps. */
    public static final String ARCHIVE_SUFFIX = ".tensors";

    private final TensorTransferGrpc.TensorTransferStub asyncStub;
    private final TensorTransferGrpc.TensorTransferBlockingStub blockingStub;
    private final ChunkSize chunkSize;

    public TransferClient(Channel channel, int maxMessageBytes) {
        this.chunkSize = new ChunkSize(maxMessageBytes);
        this.asyncStub = TensorTransferGrpc.newStub(channel)
                .withMaxOutboundMessageSize(maxMessageBytes).withMaxInboundMessageSize(maxMessageBytes);
        this.blockingStub = TensorTransferGrpc.newBlockingStub(channel)
                .withMaxOutboundMessageSize(maxMessageBytes).withMaxInboundMessageSize(maxMessageBytes);
    }

    /** Streams {@code file}, hashing it as it is read, and returns its id once the server stored it. */
    public BlobId upload(Path file) throws IOException {
        UploadCall call = new UploadCall(new ChunkSender(file, chunkSize));
        asyncStub.upload(call);
        BlobReceipt receipt = call.awaitReceipt(file);
        BlobId sent = call.sender.sentId();
        BlobId stored = BlobId.of(receipt.getSha256());
        if (!stored.equals(sent)) {
            throw new BlobIntegrityException("server receipt for " + file, sent, stored);
        }
        return sent;
    }

    /** Uploads {@code set} as a tensor archive, written to a temporary file first. */
    public BlobId upload(TensorSet set) throws IOException {
        Path archive = Files.createTempFile("callosum-upload-", ARCHIVE_SUFFIX);
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(archive))) {
                TensorArchive.write(set, out);
            }
            return upload(archive);
        } finally {
            Files.deleteIfExists(archive);
        }
    }

    /**
     * Downloads blob {@code id} to {@code target}, which must not exist yet. The file appears at {@code target}
     * only after its content hashed to {@code id}; on any failure nothing is left there.
     */
    public Path download(BlobId id, Path target) throws IOException {
        if (Files.exists(target)) {
            throw new FileAlreadyExistsException(target.toString(), null, "download of blob " + id + " would replace it");
        }
        Context.CancellableContext call = Context.current().withCancellation();
        Context previous = call.attach();
        try (SpoolFile spool = SpoolFile.in(target.toAbsolutePath().getParent())) {
            Iterator<BlobChunk> chunks = blockingStub.download(BlobRequest.newBuilder().setSha256(id.sha256()).build());
            ChunkSequence sequence = new ChunkSequence();
            while (chunks.hasNext()) {
                BlobChunk chunk = chunks.next();
                sequence.accept(chunk);
                chunk.getData().writeTo(spool);
            }
            BlobId declared = sequence.finish();
            spool.verify(id, "download of blob " + id + " to " + target);
            if (!declared.equals(id)) {
                throw new BlobIntegrityException("the server's last chunk for " + target, id, declared);
            }
            if (!spool.publish(target)) {
                throw new FileAlreadyExistsException(target.toString(), null, "appeared while blob " + id + " downloaded");
            }
            return target;
        } catch (StatusRuntimeException e) {
            throw failure("download of blob " + id, e);
        } finally {
            call.detach(previous);
            call.cancel(null);
        }
    }

    /**
     * The tensor set in blob {@code id}, kept as {@code <sha256>.tensors} in {@code dir} and memory-mapped from
     * there. A file already there is reused when its content hashes to {@code id}, and refused otherwise.
     */
    public TensorSet downloadTensors(BlobId id, Path dir) throws IOException {
        Path archive = dir.resolve(id.sha256() + ARCHIVE_SUFFIX);
        if (Files.exists(archive)) {
            BlobId existing = Sha256.of(archive);
            if (!existing.equals(id)) {
                throw new BlobIntegrityException("existing file " + archive, id, existing);
            }
        } else {
            download(id, archive);
        }
        return TensorArchive.read(archive);
    }

    private static IOException failure(String what, StatusRuntimeException e) {
        Status status = e.getStatus();
        if (status.getCode() == Status.Code.NOT_FOUND) {
            NoSuchFileException missing = new NoSuchFileException(what + " failed: " + status.getDescription());
            missing.initCause(e);
            return missing;
        }
        return new IOException(what + " failed: " + status.getCode() + ": " + status.getDescription(), e);
    }

    /** One upload: sends while the transport is ready and hands the server's receipt to the waiting caller. */
    private static final class UploadCall implements ClientResponseObserver<BlobChunk, BlobReceipt> {
        private final ChunkSender sender;
        private final CompletableFuture<BlobReceipt> receipt = new CompletableFuture<>();
        private ClientCallStreamObserver<BlobChunk> requests;
        private BlobReceipt received;

        UploadCall(ChunkSender sender) {
            this.sender = sender;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<BlobChunk> requests) {
            this.requests = requests;
            requests.setOnReadyHandler(() -> sender.sendWhileReady(requests));
        }

        @Override
        public void onNext(BlobReceipt value) {
            received = value;
        }

        @Override
        public void onError(Throwable t) {
            receipt.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            receipt.complete(received);
        }

        BlobReceipt awaitReceipt(Path file) throws IOException {
            try {
                return receipt.get();
            } catch (InterruptedException e) {
                requests.cancel("upload interrupted", e);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("upload of " + file + " interrupted");
            } catch (ExecutionException e) {
                if (sender.failure() != null) {
                    throw sender.failure();
                }
                if (e.getCause() instanceof StatusRuntimeException refused) {
                    throw failure("upload of " + file, refused);
                }
                throw new IOException("upload of " + file + " failed", e.getCause());
            } finally {
                sender.abandon();
            }
        }
    }
}
