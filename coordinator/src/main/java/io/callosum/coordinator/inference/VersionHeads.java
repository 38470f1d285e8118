package io.callosum.coordinator.inference;

import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.coordinator.federation.FederationKind;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The shared-space projection heads of stored versions: versions of alignment federations hold them (tensors tagged
 * {@code shared}), each as a {@link SharedSpace} of the federation's configuration, kept loaded like encoders.
 */
@ApplicationScoped
public class VersionHeads {
    private final ModelRegistry models;
    private final LoadedModels<Long, SharedSpace> loaded;

    public VersionHeads(ModelRegistry models, InferenceSettings settings) {
        this.models = models;
        this.loaded = new LoadedModels<>(settings.cachedEncoders());
    }

    /** Why {@code version} cannot project {@code modality} into the shared space, or empty when it can. */
    public Optional<String> missingHead(ModelVersion version, FederationPlan plan, Modality modality) {
        if (plan.kind() != FederationKind.ALIGNMENT) {
            return Optional.of("model version " + version.id() + " (" + plan.kind().tag() + " federation '"
                    + plan.name() + "') has no shared-space heads; versions of alignment federations have them");
        }
        SharedSpace space = space(version, plan);
        synchronized (space) {
            if (!space.modalities().contains(modality)) {
                return Optional.of("model version " + version.id() + " has shared-space heads for "
                        + space.modalities().stream().map(Modality::tag).sorted().toList() + " but none for "
                        + modality.tag());
            }
        }
        return Optional.empty();
    }

    /** What a space with both heads says; callers check {@link #missingHead} first. */
    public <T> T withSpace(ModelVersion version, FederationPlan plan, Function<SharedSpace, T> use) {
        SharedSpace space = space(version, plan);
        synchronized (space) {
            return use.apply(space);
        }
    }

    /** The shared-space images of {@code modality}'s encoder embeddings, or why there are none. */
    public SharedProjection project(ModelVersion version, FederationPlan plan, Modality modality,
                                    float[][] embeddings) {
        Optional<String> missing = missingHead(version, plan, modality);
        if (missing.isPresent()) {
            return SharedProjection.unavailable(missing.get());
        }
        return withSpace(version, plan, space -> new SharedProjection(
                new SharedProjection.Status(true, space.config().sharedDim(), space.temperature(), null),
                space.project(modality, embeddings)));
    }

    private SharedSpace space(ModelVersion version, FederationPlan plan) {
        return loaded.get(version.id(), () -> load(version, plan));
    }

    private SharedSpace load(ModelVersion version, FederationPlan plan) {
        TensorSet tensors = models.tensors(version);
        Map<Modality, Integer> widths = SharedSpace.inputWidths(tensors);
        if (widths.isEmpty()) {
            throw InferenceException.unprocessable("model version " + version.id() + " of alignment federation '"
                    + plan.name() + "' holds no projection head");
        }
        SharedSpace space = new SharedSpace(widths, AlignmentConfig.from(plan.alignment().space()));
        try {
            space.load(tensors);
        } catch (IllegalArgumentException e) {
            space.close();
            throw InferenceException.unprocessable("model version " + version.id() + "'s shared-space heads cannot"
                    + " be loaded: " + e.getMessage());
        }
        return space;
    }

    void onStop(@Observes ShutdownEvent event) {
        loaded.closeAll();
    }
}
