package io.callosum.coordinator.flower;

import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.protocol.transfer.TransferService;
import io.callosum.protocol.transfer.proto.TensorTransferGrpc;
import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.callosum.protocol.transfer.proto.Transfer.BlobReceipt;
import io.callosum.protocol.transfer.proto.Transfer.BlobRequest;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

/**
 * The chunked transfer service beside {@code Join}: sites upload their updates into the inbox and download global
 * versions. The two directions use different stores on purpose, so no participant can ever fetch another site's
 * individual update.
 */
@GrpcService
public class TransferEndpoint extends TensorTransferGrpc.TensorTransferImplBase {
    private final TransferService uploads;
    private final TransferService downloads;

    public TransferEndpoint(ModelStorage storage) {
        this.uploads = new TransferService(storage.inbox(), storage.maxMessageBytes());
        this.downloads = new TransferService(storage.versions(), storage.maxMessageBytes());
    }

    @Override
    @Blocking
    public StreamObserver<BlobChunk> upload(StreamObserver<BlobReceipt> receipt) {
        return uploads.upload(receipt);
    }

    @Override
    @Blocking
    public void download(BlobRequest request, StreamObserver<BlobChunk> chunks) {
        downloads.download(request, chunks);
    }
}
