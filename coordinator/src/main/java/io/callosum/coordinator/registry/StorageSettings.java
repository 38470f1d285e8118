package io.callosum.coordinator.registry;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;

/** Where tensor blobs live: global versions (kept) and incoming site updates (deleted once folded in). */
@ConfigMapping(prefix = "callosum.storage")
public interface StorageSettings {
    Path dir();

    /** Larger tensor sets travel over the chunked transfer service instead of inline in Flower messages. */
    int maxMessageBytes();
}
