package io.callosum.coordinator.federation;

import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The initial model of an alignment federation: the encoders of the latest stored version of the federation its
 * plan names, which stay frozen, and fresh shared-space heads for each of their modalities, deterministic in the
 * model plan's seed. A head takes its modality's pooled encoder embedding, as wide as the model plan's dim.
 */
final class AlignmentStart {

    private AlignmentStart() {
    }

    static TensorSet initialModel(FederationPlan plan, FederationRecords records, ModelRegistry models) {
        String source = plan.alignment().encodersFrom();
        StoredFederation pretrained = records.find(source).orElseThrow(() -> new FederationFailedException(
                "alignment federation " + plan.name() + " takes its encoders from federation '" + source
                        + "', which does not exist"));
        if (pretrained.plan().kind() != FederationKind.JEPA) {
            throw new FederationFailedException("federation '" + source + "' is " + pretrained.plan().kind().tag()
                    + ", not a JEPA federation: it holds no encoders to align");
        }
        if (!pretrained.plan().model().equals(plan.model())) {
            throw new FederationFailedException("federation '" + source + "' pretrained the model "
                    + pretrained.plan().model() + ", but " + plan.name() + " plans " + plan.model()
                    + "; the sites would build encoders the tensors do not fit");
        }
        ModelVersion version = models.latest(pretrained.id()).orElseThrow(() -> new FederationFailedException(
                "federation '" + source + "' has no stored version yet"));
        TensorSet encoders = models.tensors(version).select(Modality.DATA);
        if (encoders.size() == 0) {
            throw new FederationFailedException("version " + version.id() + " of federation '" + source
                    + "' holds no encoder tensors");
        }
        Map<Modality, Integer> widths = new EnumMap<>(Modality.class);
        encoders.modalities().forEach(modality -> widths.put(modality, plan.model().dim()));
        TensorSet heads = SharedSpace.initialParameters(widths, AlignmentConfig.from(plan.alignment().space()),
                plan.model().seed());
        List<NamedTensor> initial = new ArrayList<>(encoders.tensors());
        initial.addAll(heads.tensors());
        return TensorSet.of(initial);
    }
}
