package io.callosum.site.flower;

import io.callosum.protocol.flower.proto.FlowerServiceGrpc;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The hospital-side process: joins the coordinator as a Flower client and serves its instructions until the
 * coordinator ends the run. When the coordinator goes away (restart, network) it reconnects with exponential
 * backoff and jitter, keeping its trained weights, so a resumed federation simply sends it the next round.
 */
public final class SiteAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SiteAgent.class);

    private final SiteAgentSettings settings;
    private final SiteInstructions instructions;
    private final ManagedChannel channel;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "site-work"));

    public SiteAgent(SiteAgentSettings settings) {
        this.settings = settings;
        // One channel carries both Join and TensorTransfer, so both are over mTLS when it is configured.
        ManagedChannelBuilder<?> builder = settings.tls().isPresent()
                ? Grpc.newChannelBuilderForAddress(settings.coordinatorHost(), settings.coordinatorPort(),
                        settings.tls().get().credentials())
                : ManagedChannelBuilder.forAddress(settings.coordinatorHost(), settings.coordinatorPort()).usePlaintext();
        this.channel = builder.maxInboundMessageSize(Integer.MAX_VALUE).build();
        this.instructions = new SiteInstructions(settings, channel);
    }

    /** Serves runs until the coordinator ends one with {@code ReconnectIns} of 0 seconds; returns the runs served. */
    public int run() throws InterruptedException {
        Duration backoff = settings.initialBackoff();
        int runs = 0;
        while (true) {
            JoinStream stream = new JoinStream(settings.site(), instructions, worker);
            stream.attach(FlowerServiceGrpc.newStub(channel).join(stream));
            JoinStream.End end = stream.awaitEnd();
            if (end.reconnectSeconds().isPresent()) {
                runs++;
                long seconds = end.reconnectSeconds().get();
                if (seconds == 0) {
                    LOG.info("[{}] the coordinator ended the run; shutting down", settings.site());
                    return runs;
                }
                LOG.info("[{}] the coordinator asked to reconnect in {} s", settings.site(), seconds);
                TimeUnit.SECONDS.sleep(seconds);
                backoff = settings.initialBackoff();
                continue;
            }
            if (end.served()) {
                backoff = settings.initialBackoff();
            }
            long jittered = (long) (backoff.toMillis() * (0.5 + ThreadLocalRandom.current().nextDouble()));
            LOG.warn("[{}] connection to {}:{} ended ({}); reconnecting in {} ms", settings.site(),
                    settings.coordinatorHost(), settings.coordinatorPort(), end.reason(), jittered);
            TimeUnit.MILLISECONDS.sleep(jittered);
            backoff = backoff.multipliedBy(2).compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff()
                    : backoff.multipliedBy(2);
        }
    }

    @Override
    public void close() throws InterruptedException {
        worker.shutdownNow();
        instructions.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
