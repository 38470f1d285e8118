package io.callosum.protocol.transfer;

import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.callosum.protocol.transfer.proto.Transfer.BlobReceipt;
import io.callosum.protocol.transfer.proto.Transfer.BlobRequest;
import io.callosum.protocol.transfer.proto.TensorTransferGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Serves {@code callosum.transfer.TensorTransfer} from a {@link BlobStore}. Uploads are spooled into the store's
 * writer and stored only when complete and matching their declared sha256; downloads stream the stored file in
 * chunks that keep each message within {@code maxMessageBytes}. The server's own {@code maxInboundMessageSize}
 * should be set to the same limit so that an upload's chunks are held to it too.
 */
public class TransferService extends TensorTransferGrpc.TensorTransferImplBase {
    private final BlobStore store;
    private final ChunkSize chunkSize;

    public TransferService(BlobStore store, int maxMessageBytes) {
        this.store = store;
        this.chunkSize = new ChunkSize(maxMessageBytes);
    }

    @Override
    public StreamObserver<BlobChunk> upload(StreamObserver<BlobReceipt> responseObserver) {
        return new IncomingUpload(responseObserver);
    }

    @Override
    public void download(BlobRequest request, StreamObserver<BlobChunk> responseObserver) {
        ServerCallStreamObserver<BlobChunk> out = (ServerCallStreamObserver<BlobChunk>) responseObserver;
        ChunkSender sender;
        try {
            BlobId id = BlobId.of(request.getSha256());
            sender = new ChunkSender(store.path(id), chunkSize);
        } catch (IllegalArgumentException e) {
            out.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (NoSuchFileException e) {
            out.onError(Status.NOT_FOUND.withDescription("no blob with sha256 " + request.getSha256()).asRuntimeException());
            return;
        } catch (IOException e) {
            out.onError(Status.INTERNAL.withDescription("could not open blob " + request.getSha256() + ": "
                    + e.getMessage()).asRuntimeException());
            return;
        }
        out.setOnCancelHandler(sender::abandon);
        out.setOnReadyHandler(() -> sender.sendWhileReady(out));
    }

    /** One upload call: its chunks go straight into a store writer, which is discarded unless the upload succeeds. */
    private final class IncomingUpload implements StreamObserver<BlobChunk> {
        private final StreamObserver<BlobReceipt> response;
        private final ChunkSequence sequence = new ChunkSequence();
        private BlobWriter writer;
        private boolean ended;

        IncomingUpload(StreamObserver<BlobReceipt> response) {
            this.response = response;
        }

        @Override
        public void onNext(BlobChunk chunk) {
            if (ended) {
                return;
            }
            try {
                sequence.accept(chunk);
                if (writer == null) {
                    writer = store.newWriter();
                }
                chunk.getData().writeTo(writer);
            } catch (IOException e) {
                fail(e);
            }
        }

        @Override
        public void onError(Throwable cancelled) {
            ended = true;
            discard();
        }

        @Override
        public void onCompleted() {
            if (ended) {
                return;
            }
            try {
                BlobId declared = sequence.finish();
                BlobId stored = writer.commit(declared);
                ended = true;
                discard();
                response.onNext(BlobReceipt.newBuilder().setSha256(stored.sha256()).setSize(sequence.received()).build());
                response.onCompleted();
            } catch (IOException e) {
                fail(e);
            }
        }

        private void fail(IOException e) {
            ended = true;
            discard();
            response.onError(statusFor(e).withDescription(e.getMessage()).asRuntimeException());
        }

        private void discard() {
            if (writer == null) {
                return;
            }
            try {
                writer.close();
            } catch (IOException e) {
                // The writer only removes its own temporary file here; a leftover stays in the store's incoming folder.
            }
        }

        private Status statusFor(IOException e) {
            if (e instanceof ChunkSequenceException) {
                return Status.INVALID_ARGUMENT;
            }
            if (e instanceof BlobIntegrityException) {
                return Status.DATA_LOSS;
            }
            return Status.INTERNAL;
        }
    }
}
