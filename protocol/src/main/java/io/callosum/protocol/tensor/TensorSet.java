package io.callosum.protocol.tensor;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** An ordered set of uniquely named, modality-tagged tensors: a model, or one site's update to it. */
public final class TensorSet implements Iterable<NamedTensor> {
    private final Map<String, NamedTensor> tensors;

    private TensorSet(Map<String, NamedTensor> tensors) {
        this.tensors = Collections.unmodifiableMap(tensors);
    }

    public static TensorSet of(List<NamedTensor> tensors) {
        Map<String, NamedTensor> byName = new LinkedHashMap<>();
        for (NamedTensor tensor : tensors) {
            if (byName.putIfAbsent(tensor.name(), tensor) != null) {
                throw new IllegalArgumentException("tensor name '" + tensor.name() + "' appears twice");
            }
        }
        return new TensorSet(byName);
    }

    public int size() {
        return tensors.size();
    }

    public List<NamedTensor> tensors() {
        return List.copyOf(tensors.values());
    }

    public Optional<NamedTensor> get(String name) {
        return Optional.ofNullable(tensors.get(name));
    }

    public Set<Modality> modalities() {
        return tensors.values().stream().map(NamedTensor::modality).collect(Collectors.toUnmodifiableSet());
    }

    /** The tensors of the given modalities, in order: what a site holding only those modalities trains. */
    public TensorSet select(Set<Modality> modalities) {
        return of(tensors.values().stream().filter(t -> modalities.contains(t.modality())).toList());
    }

    public TensorManifest manifest() {
        return new TensorManifest(tensors.values().stream().map(NamedTensor::spec).toList());
    }

    /**
     * The Euclidean distance to {@code other} over all of this set's tensors, which {@code other} must hold with the
     * same shapes: the size of an update, or how far a site moved from the global model.
     */
    public double l2Distance(TensorSet other) {
        double sum = 0;
        for (NamedTensor tensor : tensors.values()) {
            NamedTensor counterpart = other.get(tensor.name()).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + tensor.name() + "' is missing from the other set"));
            if (!counterpart.array().shape().equals(tensor.array().shape())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' has shape "
                        + tensor.array().shape() + " here and " + counterpart.array().shape() + " in the other set");
            }
            for (long i = 0; i < tensor.array().elementCount(); i++) {
                double difference = tensor.array().getDouble(i) - counterpart.array().getDouble(i);
                sum += difference * difference;
            }
        }
        return Math.sqrt(sum);
    }

    public long byteSize() {
        return tensors.values().stream().mapToLong(t -> t.array().byteSize()).sum();
    }

    @Override
    public Iterator<NamedTensor> iterator() {
        return tensors.values().iterator();
    }

    @Override
    public String toString() {
        return "TensorSet" + tensors.values().stream()
                .map(t -> t.name() + "[" + t.modality() + "]" + t.array().shape())
                .collect(Collectors.joining(", ", "{", "}"));
    }
}
