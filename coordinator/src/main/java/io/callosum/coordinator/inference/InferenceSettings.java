package io.callosum.coordinator.inference;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The inference API's limits ({@code callosum.inference.*}). */
@ConfigMapping(prefix = "callosum.inference")
public interface InferenceSettings {
    String DEFAULT_MAX_UPLOAD_BYTES = "67108864";

    /** The largest upload or JSON tensor accepted; larger requests get 413 saying so. */
    @WithDefault(DEFAULT_MAX_UPLOAD_BYTES)
    long maxUploadBytes();

    /** Global versions embedded per request for the ensemble variance: the chosen one and its ancestors. */
    @WithDefault("3")
    int ensembleSize();

    /** Encoders kept loaded, one per version, modality and input geometry. */
    @WithDefault("8")
    int cachedEncoders();
}
