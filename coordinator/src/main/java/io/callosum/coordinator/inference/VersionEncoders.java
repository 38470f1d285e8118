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

import java.util.Set;

/**
 * Stored versions' encoders, each a {@link FrozenEncoder} of the federation's shape with the version's tensors,
 * kept for the next request, the least recently used going first.
 */
@ApplicationScoped
public class VersionEncoders {
    private final ModelRegistry models;
    private final LoadedModels<Key, FrozenEncoder> loaded;

    public VersionEncoders(ModelRegistry models, InferenceSettings settings) {
        this.models = models;
        this.loaded = new LoadedModels<>(settings.cachedEncoders());
    }

    /** Embeds model inputs of one geometry with one version's encoder of their modality. */
    public float[][] embed(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry,
                           float[][] inputs) {
        FrozenEncoder encoder = encoder(version, plan, modality, geometry);
        synchronized (encoder) {
            return encoder.embed(inputs);
        }
    }

    /** The tokenizer statistics of model inputs by one version's encoder of their modality. */
    public float[][] tokenStatistics(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry,
                                     float[][] inputs) {
        FrozenEncoder encoder = encoder(version, plan, modality, geometry);
        synchronized (encoder) {
            return encoder.tokenStatistics(inputs);
        }
    }

    private FrozenEncoder encoder(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry) {
        return loaded.get(new Key(version.id(), modality, geometry), () -> load(version, plan, modality, geometry));
    }

    private FrozenEncoder load(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry) {
        EncoderConfig config = EncoderConfig.forModality(modality, plan.dim(), plan.depth(), plan.heads(),
                plan.predictorDim(), plan.predictorDepth(), plan.imagingPatch(), plan.eegPatch(), plan.omicsGroups());
        try {
            return new FrozenEncoder(modality, geometry, config, models.tensors(version).select(Set.of(modality)));
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable("the input " + describe(geometry) + " does not fit model version "
                    + version.id() + "'s " + modality + " encoder: " + e.getMessage());
        }
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

    void onStop(@Observes ShutdownEvent event) {
        loaded.closeAll();
    }

    private record Key(long version, Modality modality, InputGeometry geometry) {
    }
}
