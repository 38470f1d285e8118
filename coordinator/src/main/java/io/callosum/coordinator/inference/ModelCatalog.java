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
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The registry's versions seen from the API: listed with lineage and metrics, and chosen for a request. */
@ApplicationScoped
public class ModelCatalog {
    private final FederationRecords records;
    private final ModelRegistry models;

    public ModelCatalog(FederationRecords records, ModelRegistry models) {
        this.records = records;
        this.models = models;
    }

    /** A version chosen for a request, the plan of the federation that made it, and its ancestors, nearest first. */
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
                entries.add(new ModelEntry(version.id(), federation.plan().name(), version.round(),
                        version.parentId(), models.modalities(version.id()).stream().map(Modality::tag).toList(),
                        version.content().sha256(), version.byteSize(), version.createdAt(),
                        metricsByOutput.getOrDefault(version.id(), JsonNodeFactory.instance.objectNode())));
            }
        }
        entries.sort(Comparator.comparingLong(ModelEntry::id));
        return entries;
    }

    /**
     * The version asked for, or else the newest one of a JEPA federation that holds an encoder for the modality,
     * with up to {@code ancestors} of its ancestors that hold it too.
     */
    public Chosen choose(Modality modality, Optional<Long> requested, int ancestors) {
        for (StoredFederation federation : federations()) {
            if (federation.plan().kind() != FederationKind.JEPA) {
                continue;
            }
            List<ModelVersion> versions = models.versions(federation.id());
            for (int i = versions.size() - 1; i >= 0; i--) {
                ModelVersion version = versions.get(i);
                boolean wanted = requested.map(id -> id == version.id()).orElse(true);
                if (wanted && holds(version, modality, requested)) {
                    return new Chosen(version, federation.plan(), lineage(versions, i, modality, ancestors));
                }
            }
        }
        throw requested.map(id -> models.byId(id).isPresent()
                        ? InferenceException.unprocessable("model version " + id + " is not a JEPA encoder version")
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

    private List<ModelVersion> lineage(List<ModelVersion> versions, int index, Modality modality, int ancestors) {
        Map<Long, ModelVersion> byId = new HashMap<>();
        versions.forEach(v -> byId.put(v.id(), v));
        List<ModelVersion> lineage = new ArrayList<>();
        Optional<Long> parent = versions.get(index).parentId();
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
