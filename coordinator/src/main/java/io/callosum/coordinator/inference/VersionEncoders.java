package io.callosum.coordinator.inference;

import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Stored versions' encoders, loaded the way the demo scores a federated model (a {@link JepaTrainer} of the
 * federation's shape, given the version's tensors, asked for frozen embeddings) and kept for the next request, the
 * least recently used going first.
 */
@ApplicationScoped
public class VersionEncoders {
    private final ModelRegistry models;
    private final int capacity;
    private final Map<Key, JepaTrainer> loaded = new LinkedHashMap<>(16, 0.75f, true);

    public VersionEncoders(ModelRegistry models, InferenceSettings settings) {
        this.models = models;
        this.capacity = settings.cachedEncoders();
    }

    /** Embeds model inputs of one geometry with one version's encoder of their modality. */
    public float[][] embed(ModelVersion version, ModelPlan plan, Modality modality, InputGeometry geometry,
                           float[][] inputs) {
        JepaTrainer encoder = encoder(version, plan, modality, geometry);
        synchronized (encoder) {
            return encoder.embed(inputs);
        }
    }

    private synchronized JepaTrainer encoder(ModelVersion version, ModelPlan plan, Modality modality,
                                             InputGeometry geometry) {
        Key key = new Key(version.id(), modality, geometry);
        JepaTrainer encoder = loaded.get(key);
        if (encoder != null) {
            return encoder;
        }
        EncoderConfig config = EncoderConfig.forModality(modality, plan.dim(), plan.depth(), plan.heads(),
                plan.predictorDim(), plan.predictorDepth(), plan.imagingPatch(), plan.eegPatch(), plan.omicsGroups());
        // The trainer is only ever asked to embed; its dataset is a placeholder of the input's shape.
        ModalityDataset shape = new ModalityDataset(modality, geometry, List.of("placeholder"),
                new float[1][geometry.inputLength()], new int[] {-1});
        encoder = new JepaTrainer(shape, config, JepaConfig.defaults(Objective.SIGREG));
        try {
            encoder.load(models.tensors(version).select(Set.of(modality)));
        } catch (IllegalArgumentException e) {
            encoder.close();
            throw InferenceException.unprocessable("the input " + describe(geometry) + " does not fit model version "
                    + version.id() + "'s " + modality + " encoder: " + e.getMessage());
        }
        loaded.put(key, encoder);
        if (loaded.size() > capacity) {
            Map.Entry<Key, JepaTrainer> eldest = loaded.entrySet().iterator().next();
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
        loaded.values().forEach(JepaTrainer::close);
        loaded.clear();
    }

    private record Key(long version, Modality modality, InputGeometry geometry) {
    }
}
