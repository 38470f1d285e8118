package io.callosum.coordinator.federation;

import com.google.protobuf.MessageLite;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;

/**
 * Counts the chunks a client channel streams each way (the messages of calls whose side streams, so a request or a
 * receipt is no chunk) and remembers the largest message in either direction, so that a test can say how many
 * chunks a transfer took and that none exceeded the message limit.
 */
final class MessageTally implements ClientInterceptor {
    private final AtomicLong chunksSent = new AtomicLong();
    private final AtomicLong chunksReceived = new AtomicLong();
    private final LongAccumulator largestMessage = new LongAccumulator(Math::max, 0);

    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<A> listener, Metadata headers) {
                super.start(new ForwardingClientCallListener.SimpleForwardingClientCallListener<>(listener) {
                    @Override
                    public void onMessage(A message) {
                        if (!method.getType().serverSendsOneMessage()) {
                            chunksReceived.incrementAndGet();
                        }
                        largestMessage.accumulate(size(message));
                        super.onMessage(message);
                    }
                }, headers);
            }

            @Override
            public void sendMessage(Q message) {
                if (!method.getType().clientSendsOneMessage()) {
                    chunksSent.incrementAndGet();
                }
                largestMessage.accumulate(size(message));
                super.sendMessage(message);
            }
        };
    }

    private static long size(Object message) {
        return ((MessageLite) message).getSerializedSize();
    }

    long chunksSent() {
        return chunksSent.get();
    }

    long chunksReceived() {
        return chunksReceived.get();
    }

    long largestMessage() {
        return largestMessage.get();
    }
}
