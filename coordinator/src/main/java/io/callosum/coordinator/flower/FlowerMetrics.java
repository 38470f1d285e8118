package io.callosum.coordinator.flower;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.atomic.AtomicInteger;

/** What operators watch on the Flower listener: who is connected, what arrived, what was refused. */
@Startup
@ApplicationScoped
public class FlowerMetrics {
    private final AtomicInteger connected = new AtomicInteger();
    private final Counter joins;
    private final Counter refusals;
    private final Counter parameterBytes;

    public FlowerMetrics(MeterRegistry registry) {
        registry.gauge("callosum.flower.participants.connected", connected);
        joins = Counter.builder("callosum.flower.participants.joined")
                .description("Join streams opened").register(registry);
        refusals = Counter.builder("callosum.flower.participants.refused")
                .description("Streams ended because the participant sent bad input").register(registry);
        parameterBytes = Counter.builder("callosum.flower.parameters.received")
                .baseUnit("bytes").description("Tensor bytes received from participants").register(registry);
    }

    void joined() {
        connected.incrementAndGet();
        joins.increment();
    }

    void left() {
        connected.decrementAndGet();
    }

    void refused() {
        refusals.increment();
    }

    void parametersReceived(long bytes) {
        parameterBytes.increment(bytes);
    }
}
