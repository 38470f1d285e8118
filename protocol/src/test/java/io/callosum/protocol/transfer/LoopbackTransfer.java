package io.callosum.protocol.transfer;

import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.callosum.protocol.transfer.proto.TensorTransferGrpc;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TransferService} over a FileBlobStore behind a real Netty server on loopback, both ends holding
 * messages to {@code maxMessageBytes}, recording the serialized size of every chunk the client sent and received.
 */
final class LoopbackTransfer implements AutoCloseable {
    final FileBlobStore store;
    final int maxMessageBytes;
    final List<Integer> sentChunkSizes = new CopyOnWriteArrayList<>();
    final List<Integer> receivedChunkSizes = new CopyOnWriteArrayList<>();
    private final Server server;
    private final ManagedChannel channel;

    LoopbackTransfer(Path storeDir, int maxMessageBytes) throws IOException {
        this.store = new FileBlobStore(storeDir);
        this.maxMessageBytes = maxMessageBytes;
        this.server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .maxInboundMessageSize(maxMessageBytes)
                .addService(new TransferService(store, maxMessageBytes))
                .build()
                .start();
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
                .usePlaintext()
                .maxInboundMessageSize(maxMessageBytes)
                .intercept(new SizeRecorder())
                .build();
    }

    TransferClient client() {
        return new TransferClient(channel, maxMessageBytes);
    }

    /** A stub with no message limit of its own, to send what a faulty or hostile peer would. */
    TensorTransferGrpc.TensorTransferStub rawStub() {
        return TensorTransferGrpc.newStub(channel);
    }

    TensorTransferGrpc.TensorTransferBlockingStub rawBlockingStub() {
        return TensorTransferGrpc.newBlockingStub(channel);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }

    private final class SizeRecorder implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void sendMessage(Q message) {
                    record(message, sentChunkSizes);
                    super.sendMessage(message);
                }

                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                        @Override
                        public void onMessage(R message) {
                            record(message, receivedChunkSizes);
                            super.onMessage(message);
                        }
                    }, headers);
                }
            };
        }

        private void record(Object message, List<Integer> sizes) {
            if (message instanceof BlobChunk chunk) {
                sizes.add(chunk.getSerializedSize());
            }
        }
    }
}
