package io.callosum.protocol.secagg;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each tensor the sites may update sits in the one vector a secure-aggregation round sums: the whole model in
 * pretraining, the shared space's heads in alignment (the encoders stay frozen). Every selected site masks a vector
 * of the layout's length, with zeros for the tensors its update does not hold (other modalities' encoders or heads),
 * so that one round serves sites with different modality sets and the sum is still taken per tensor.
 */
public final class UpdateLayout {
    private final TensorManifest manifest;
    private final Map<String, TensorSpec> specs = new LinkedHashMap<>();
    private final Map<String, Integer> offsets = new LinkedHashMap<>();
    private final int length;

    public UpdateLayout(TensorManifest manifest) {
        this.manifest = manifest;
        long position = 0;
        for (TensorSpec spec : manifest.specs()) {
            if (!spec.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException("tensor '" + spec.name() + "' is " + spec.dtype()
                        + "; secure aggregation sums floating-point tensors only");
            }
            specs.put(spec.name(), spec);
            offsets.put(spec.name(), (int) position);
            position += spec.shape().elementCount();
            if (position > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the model has more than " + Integer.MAX_VALUE
                        + " values, more than one secure-aggregation vector holds");
            }
        }
        this.length = (int) position;
    }

    public TensorManifest manifest() {
        return manifest;
    }

    public int length() {
        return length;
    }

    /**
     * {@code weight × (update − global)} for every tensor of {@code update}, at its place in the vector; zero
     * elsewhere. Each tensor must be in the layout with the same shape; non-finite values are refused by name.
     */
    public float[] weightedDelta(TensorSet global, TensorSet update, double weight) {
        float[] vector = new float[length];
        for (NamedTensor tensor : update) {
            TensorSpec expected = spec(tensor.name());
            if (!expected.shape().equals(tensor.array().shape())) {
                throw new IllegalArgumentException("tensor '" + tensor.name() + "' has shape "
                        + tensor.array().shape() + ", the round's layout has " + expected.shape());
            }
            NamedTensor base = global.get(tensor.name()).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + tensor.name() + "' of the update was not in the global model received"));
            float[] values = tensor.array().toFloatArray();
            float[] start = base.array().toFloatArray();
            int offset = offsetOf(tensor.name());
            for (int i = 0; i < values.length; i++) {
                float delta = (float) (weight * (values[i] - start[i]));
                if (!Float.isFinite(delta)) {
                    throw new IllegalArgumentException("tensor '" + tensor.name() + "' value " + i + " is "
                            + values[i] + "; only finite updates can be aggregated");
                }
                vector[offset + i] = delta;
            }
        }
        return vector;
    }

    /** The modalities of the layout's tensors. */
    public Set<Modality> modalities() {
        Set<Modality> modalities = EnumSet.noneOf(Modality.class);
        specs.values().forEach(spec -> modalities.add(spec.modality()));
        return modalities;
    }

    /** Multiplies, in place, each tensor's values in {@code vector} by the weight of its modality. */
    public void scale(float[] vector, Map<Modality, Double> weights) {
        if (vector.length != length) {
            throw new IllegalArgumentException("vector has " + vector.length + " values, the layout " + length);
        }
        for (TensorSpec spec : specs.values()) {
            Double weight = weights.get(spec.modality());
            if (weight == null) {
                throw new IllegalArgumentException("no weight for tensor '" + spec.name() + "' of " + spec.modality());
            }
            int offset = offsets.get(spec.name());
            long end = offset + spec.shape().elementCount();
            for (int i = offset; i < end; i++) {
                vector[i] = (float) (weight * vector[i]);
            }
        }
    }

    /**
     * The tensors of {@code names} read back from a summed vector, each divided by its divisor and added to the
     * global tensor: the new value of each tensor when {@code sum} holds weighted deltas and the divisor their
     * total weight.
     */
    public TensorSet applyMeanDeltas(TensorSet global, float[] sum, Map<String, Double> divisors) {
        if (sum.length != length) {
            throw new IllegalArgumentException("summed vector has " + sum.length + " values, the layout " + length);
        }
        List<NamedTensor> tensors = new ArrayList<>();
        for (Map.Entry<String, Double> entry : divisors.entrySet()) {
            String name = entry.getKey();
            int offset = offsetOf(name);
            NamedTensor base = global.get(name).orElseThrow(() -> new IllegalArgumentException(
                    "tensor '" + name + "' is not in the global model"));
            float[] values = base.array().toFloatArray();
            for (int i = 0; i < values.length; i++) {
                values[i] += (float) (sum[offset + i] / entry.getValue());
            }
            tensors.add(new NamedTensor(name, base.modality(), NpyArray.ofFloats(base.array().shape(), values)));
        }
        return TensorSet.of(tensors);
    }

    /** Whether the layout has a place for the tensor named {@code name}. */
    public boolean contains(String name) {
        return specs.containsKey(name);
    }

    /** The names of the layout's tensors that belong to one of {@code modalities}. */
    public List<String> tensorsOf(Set<Modality> modalities) {
        return manifest.specs().stream().filter(spec -> modalities.contains(spec.modality())).map(TensorSpec::name)
                .toList();
    }

    private int offsetOf(String name) {
        Integer offset = offsets.get(name);
        if (offset == null) {
            throw notInLayout(name);
        }
        return offset;
    }

    private TensorSpec spec(String name) {
        TensorSpec spec = specs.get(name);
        if (spec == null) {
            throw notInLayout(name);
        }
        return spec;
    }

    private static IllegalArgumentException notInLayout(String name) {
        return new IllegalArgumentException("tensor '" + name + "' is not in the round's layout");
    }
}
