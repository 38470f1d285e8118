package io.callosum.coordinator.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.callosum.coordinator.federation.FederationKind;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.RoundRecord;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registry's versions seen from the API: listed with lineage and metrics, and chosen for a request. Versions of
 * JEPA federations serve their encoders; versions of alignment federations serve the same encoders, frozen, and
 * their shared-space heads.
 */
@ApplicationScoped
public class ModelCatalog {
    private static final Set<FederationKind> SERVED = EnumSet.of(FederationKind.JEPA, FederationKind.ALIGNMENT);

    private final FederationRecords records;
    private final ModelRegistry models;
    /** Per alignment federation, the pretraining version whose encoders it froze; versions never change. */
    private final Map<Long, Optional<ModelVersion>> encoderSources = new ConcurrentHashMap<>();

    public ModelCatalog(FederationRecords records, ModelRegistry models) {
        this.records = records;
        this.models = models;
    }

    /**
     * A version chosen for a request, the plan of the federation that made it, and the nearest ancestors of its
     * encoders (for an alignment version, those of the pretraining version it froze), nearest first.
     */
    public record Chosen(ModelVersion version, FederationPlan plan, List<ModelVersion> ancestors) {
    }

    public List<ModelEntry> entries() {
        List<ModelEntry> entries = new ArrayList<>();
        for (StoredFederation federation : federations()) {
            Map<Long, JsonNode> metricsByOutput = new HashMap<>();
            for (RoundRecord round : records.rounds(federation.id())) {
                round.outputVersion().ifPresent(v -> metricsByOutput.put(v, round.metrics()));
            }
            for (ModelVersion version : models.versions(federation.id())) {
                entries.add(new ModelEntry(version.id(), federation.plan().name(), federation.plan().kind().tag(),
                        version.round(), version.parentId(),
                        models.modalities(version.id()).stream().map(Modality::tag).toList(),
                        version.content().sha256(), version.byteSize(), version.createdAt(),
                        metricsByOutput.getOrDefault(version.id(), JsonNodeFactory.instance.objectNode())));
            }
        }
        entries.sort(Comparator.comparingLong(ModelEntry::id));
        return entries;
    }

    /**
     * The version asked for, or else the newest one of the newest JEPA or alignment federation that holds an encoder
     * for the modality, with up to {@code ancestors} ancestors of its encoders that hold it too.
     */
    public Chosen choose(Modality modality, Optional<Long> requested, int ancestors) {
        for (StoredFederation federation : federations()) {
            if (!SERVED.contains(federation.plan().kind())) {
                continue;
            }
            List<ModelVersion> versions = models.versions(federation.id());
            for (int i = versions.size() - 1; i >= 0; i--) {
                ModelVersion version = versions.get(i);
                boolean wanted = requested.map(id -> id == version.id()).orElse(true);
                if (wanted && holds(version, modality, requested)) {
                    return new Chosen(version, federation.plan(),
                            encoderLineage(federation, versions, i, modality, ancestors));
                }
            }
        }
        throw requested.map(id -> models.byId(id).isPresent()
                        ? InferenceException.unprocessable("model version " + id + " is not an encoder version (it"
                        + " belongs to neither a JEPA nor an alignment federation)")
                        : InferenceException.notFound("no model version " + id))
                .orElseGet(() -> InferenceException.notFound("no stored model version holds a " + modality
                        + " encoder yet; run a federation first"));
    }

    private boolean holds(ModelVersion version, Modality modality, Optional<Long> requested) {
        Set<Modality> modalities = models.modalities(version.id());
        if (modalities.contains(modality)) {
            return true;
        }
        if (requested.isPresent()) {
            throw InferenceException.unprocessable("model version " + version.id() + " holds no " + modality
                    + " encoder; it holds " + modalities.stream().map(Modality::tag).sorted().toList());
        }
        return false;
    }

    private List<ModelVersion> encoderLineage(StoredFederation federation, List<ModelVersion> versions, int index,
                                              Modality modality, int ancestors) {
        if (federation.plan().kind() == FederationKind.JEPA) {
            return lineage(versions, versions.get(index).parentId(), modality, ancestors);
        }
        // Every version of an alignment federation carries the same frozen encoders as the one it started from.
        return encoderSource(federation, versions.get(0))
                .map(source -> lineage(models.versions(source.federationId()), source.parentId(), modality, ancestors))
                .orElse(List.of());
    }

    private List<ModelVersion> lineage(List<ModelVersion> versions, Optional<Long> parent, Modality modality,
                                       int ancestors) {
        Map<Long, ModelVersion> byId = new HashMap<>();
        versions.forEach(v -> byId.put(v.id(), v));
        List<ModelVersion> lineage = new ArrayList<>();
        while (parent.isPresent() && lineage.size() < ancestors) {
            ModelVersion ancestor = byId.get(parent.get());
            if (ancestor == null || !models.modalities(ancestor.id()).contains(modality)) {
                break;
            }
            lineage.add(ancestor);
            parent = ancestor.parentId();
        }
        return lineage;
    }

    /**
     * The pretraining version an alignment federation took its encoders from: the newest version of the federation
     * its plan names stored before the alignment's initial model, checked tensor by tensor; empty if none matches.
     */
    private Optional<ModelVersion> encoderSource(StoredFederation alignment, ModelVersion initial) {
        return encoderSources.computeIfAbsent(alignment.id(), id -> records.find(alignment.plan().alignment()
                        .encodersFrom())
                .flatMap(pretraining -> models.versions(pretraining.id()).stream()
                        .filter(v -> !v.createdAt().isAfter(initial.createdAt()))
                        .max(Comparator.comparingInt(ModelVersion::round)))
                .filter(candidate -> sameEncoders(candidate, initial)));
    }

    private boolean sameEncoders(ModelVersion pretrained, ModelVersion aligned) {
        TensorSet encoders = models.tensors(aligned).select(Modality.DATA);
        try {
            return encoders.size() > 0 && encoders.l2Distance(models.tensors(pretrained).select(Modality.DATA)) == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Newest first. */
    private List<StoredFederation> federations() {
        List<StoredFederation> federations = new ArrayList<>();
        for (String name : records.names()) {
            records.find(name).ifPresent(federations::add);
        }
        federations.sort(Comparator.comparingLong(StoredFederation::id).reversed());
        return federations;
    }
}
