package io.callosum.coordinator.federation;

import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.flower.FlowerParameters;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Tensors in and out of Flower messages. Site agents get names and modalities in the config (the manifest) and,
 * for sets too large for one message, a content hash to fetch over the transfer service; plain Flower
 * participants get inline arrays only and answer positionally, as Flower's own server expects.
 */
final class Payloads {
    private final FederationKind kind;
    private final ModelStorage storage;

    Payloads(FederationKind kind, ModelStorage storage) {
        this.kind = kind;
        this.storage = storage;
    }

    /**
     * A tensor set ready to send: its parameters and the entries that name it in the instruction's config (the
     * manifest, and the reference when it travels in chunks). Made once per set and round, however many sites get it.
     */
    Outgoing outgoing(TensorSet tensors) {
        if (kind == FederationKind.PLAIN) {
            return new Outgoing(tensors, FlowerParameters.encode(tensors), Map.of());
        }
        Map<String, Scalar> entries = new LinkedHashMap<>();
        entries.put(FlowerParameters.MANIFEST_KEY, FlowerParameters.manifestEntry(tensors.manifest()));
        if (storage.needsTransfer(tensors)) {
            ParameterReference.put(entries, storage.keep(tensors));
            return new Outgoing(tensors, Parameters.newBuilder().setTensorType(FlowerParameters.TENSOR_TYPE).build(),
                    entries);
        }
        return new Outgoing(tensors, FlowerParameters.encode(tensors), entries);
    }

    /** A participant's tensors: decoded from the message, or read from its upload in the inbox. */
    Incoming incoming(String participant, Parameters parameters, Map<String, Scalar> metrics, TensorSet sent)
            throws IOException {
        if (kind == FederationKind.PLAIN) {
            return new Incoming(positional(participant, FlowerParameters.decodeArrays(parameters), sent),
                    Optional.empty());
        }
        Optional<BlobId> upload = ParameterReference.in(metrics, participant + "'s fit_res metrics");
        if (upload.isPresent()) {
            return new Incoming(storage.uploaded(upload.get()), upload);
        }
        TensorManifest manifest = FlowerParameters.manifestIn(metrics).orElseThrow(() -> new IllegalArgumentException(
                participant + "'s fit_res carries no '" + FlowerParameters.MANIFEST_KEY + "' manifest"));
        return new Incoming(FlowerParameters.decode(parameters, manifest), Optional.empty());
    }

    /**
     * A site agent's initial tensors when they are too large for {@code get_parameters_res} (which has no map to
     * name a reference in): it uploaded them and named them beside their manifest in {@code get_properties_res}.
     * They are read memory-mapped and dropped from the inbox at once, since nothing a site sent is kept there; the
     * mapping outlives the file's name.
     */
    Optional<TensorSet> initialUpload(String participant, Map<String, Scalar> properties) throws IOException {
        Optional<BlobId> upload = ParameterReference.in(properties, participant + "'s get_properties_res");
        if (upload.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(storage.uploaded(upload.get()));
        } finally {
            storage.discard(upload.get());
        }
    }

    /** Deletes an uploaded update from the inbox once folded in (or refused): site updates are never kept. */
    void release(Incoming incoming) {
        incoming.upload().ifPresent(storage::discard);
    }

    private static TensorSet positional(String participant, List<NpyArray> arrays, TensorSet sent) {
        List<NamedTensor> model = sent.tensors();
        if (arrays.size() != model.size()) {
            throw new IllegalArgumentException(participant + " returned " + arrays.size() + " arrays for a model of "
                    + model.size());
        }
        List<NamedTensor> named = new ArrayList<>();
        for (int i = 0; i < arrays.size(); i++) {
            named.add(new NamedTensor(model.get(i).name(), model.get(i).modality(), arrays.get(i)));
        }
        return TensorSet.of(named);
    }

    record Incoming(TensorSet tensors, Optional<BlobId> upload) {
    }

    record Outgoing(TensorSet tensors, Parameters parameters, Map<String, Scalar> entries) {
    }
}
