package io.callosum.coordinator.flower;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The listener for stock Flower clients: off unless an operator enables it, since they cannot do mTLS. */
@ConfigMapping(prefix = "callosum.flower.plain-listener")
public interface PlainFlowerSettings {
    @WithDefault("false")
    boolean enabled();

    @WithDefault("9093")
    int port();

    /** Flower clients send models inline, up to gRPC's 2 GiB - 1 per message. */
    @WithDefault("536870912")
    int maxInboundMessageSize();
}
