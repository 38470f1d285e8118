package io.callosum.coordinator.flower;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** What operators watch: who is connected, what arrived, what was refused, rounds and aggregation time. */
@Startup
@ApplicationScoped
public class FlowerMetrics {
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter joins;
    private final Counter refusals;
    private final Counter parameterBytes;
    private final Counter parameterBytesSent;
    private final Counter roundsCompleted;
    private final Timer aggregation;

    public FlowerMetrics(MeterRegistry registry) {
        registry.gauge("callosum.flower.participants.connected", connected);
        joins = Counter.builder("callosum.flower.participants.joined")
                .description("Join streams opened").register(registry);
        refusals = Counter.builder("callosum.flower.participants.refused")
                .description("Streams ended because the participant sent bad input").register(registry);
        parameterBytes = Counter.builder("callosum.flower.parameters.received")
                .baseUnit("bytes").description("Tensor bytes received from participants").register(registry);
        parameterBytesSent = Counter.builder("callosum.flower.parameters.sent")
                .baseUnit("bytes").description("Tensor bytes sent to participants").register(registry);
        roundsCompleted = Counter.builder("callosum.rounds.completed")
                .description("Rounds that stored a new global version").register(registry);
        aggregation = Timer.builder("callosum.aggregation.time")
                .description("Finishing a round's aggregate and storing the version").register(registry);
    }

    public void joined() {
        connected.incrementAndGet();
        joins.increment();
    }

    public void left() {
        connected.decrementAndGet();
    }

    public void refused() {
        refusals.increment();
    }

    public void parametersReceived(long bytes) {
        parameterBytes.increment(bytes);
    }

    public void parametersSent(long bytes) {
        parameterBytesSent.increment(bytes);
    }

    public void roundCompleted(double aggregateSeconds) {
        roundsCompleted.increment();
        aggregation.record(Duration.ofNanos((long) (aggregateSeconds * 1e9)));
    }
}
