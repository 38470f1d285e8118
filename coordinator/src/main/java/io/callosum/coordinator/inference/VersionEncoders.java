package io.callosum.coordinator.inference;

import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.jepa.FrozenEncoder;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Stored versions' encoders, each a {@link FrozenEncoder} of the federation's shape with the version's tensors,
 * kept for the next request, the least recently used going first.
 */
@ApplicationScoped
public class VersionEncoders {
    private final ModelRegistry models;
    private final int capacity;
    private final Map<Key, FrozenEncoder> loaded = new LinkedHashMap<>(16, 0.75f, true);

    public VersionEncoders(ModelRegistry models, InferenceSettings settings) {
        this.models = models;
        this.capacity = settings.cachedEncoders();
    }

    /** Embeds model inputs of one geometry with one version's encoder of their modality. */
    public float[][] embed(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry,
                           float[][] inputs) {
        FrozenEncoder encoder = encoder(version, plan, modality, geometry);
        synchronized (encoder) {
            return encoder.embed(inputs);
        }
    }

    private synchronized FrozenEncoder encoder(ModelVersion version, ModelPlan plan, Modality modality,
                                             InputGeometry geometry) {
        Key key = new Key(version.id(), modality, geometry);
        FrozenEncoder encoder = loaded.get(key);
        if (encoder != null) {
            return encoder;
        }
        EncoderConfig config = EncoderConfig.forModality(modality, plan.dim(), plan.depth(), plan.heads(),
                plan.predictorDim(), plan.predictorDepth(), plan.imagingPatch(), plan.eegPatch(), plan.omicsGroups());
        try {
            encoder = new FrozenEncoder(modality, geometry, config, models.tensors(version).select(Set.of(modality)));
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable("the input " + describe(geometry) + " does not fit model version "
                    + version.id() + "'s " + modality + " encoder: " + e.getMessage());
        }
        loaded.put(key, encoder);
        if (loaded.size() > capacity) {
            Map.Entry<Key, FrozenEncoder> eldest = loaded.entrySet().iterator().next();
            loaded.remove(eldest.getKey());
            synchronized (eldest.getValue()) {
                eldest.getValue().close();
            }
        }
        return encoder;
    }

    static String describe(InputGeometry geometry) {
        if (geometry instanceof InputGeometry.Volume v) {
            return "volume " + v.edge() + "³";
        }
        if (geometry instanceof InputGeometry.Montage m) {
            return "montage of " + m.channels() + " channels × " + m.samples() + " samples";
        }
        return ((InputGeometry.Features) geometry).features() + " omics features";
    }

    synchronized void onStop(@Observes ShutdownEvent event) {
        loaded.values().forEach(FrozenEncoder::close);
        loaded.clear();
    }

    private record Key(long version, Modality modality, InputGeometry geometry) {
    }
}
