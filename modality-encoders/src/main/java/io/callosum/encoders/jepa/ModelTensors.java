package io.callosum.encoders.jepa;

import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's weights as modality-tagged float32 tensors named {@code <modality tag>/<DJL parameter path>}, in DJL's
 * parameter order, and back. The path is the block tree's (e.g. {@code 01encoder_01tokenizer_positions}), so two
 * models of the same architecture name their tensors alike whatever site built them. Every tensor of the modality
 * in a set given to {@link #load} is taken to be this model's; callers sharing a modality between several models
 * (the projection heads of the shared space) select each model's tensors first.
 */
public final class ModelTensors {
    private final Modality modality;
    private final Map<String, Parameter> parameters = new LinkedHashMap<>();

    public ModelTensors(Modality modality, PairList<String, Parameter> blockParameters) {
        this.modality = modality;
        for (Pair<String, Parameter> parameter : blockParameters) {
            parameters.put(modality.tag() + "/" + parameter.getKey(), parameter.getValue());
        }
    }

    public TensorSet export() {
        List<NamedTensor> tensors = new ArrayList<>(parameters.size());
        parameters.forEach((name, parameter) -> tensors.add(new NamedTensor(name, modality,
                NpyArray.ofFloats(Shape.of(parameter.getArray().getShape().getShape()),
                        parameter.getArray().toFloatArray()))));
        return TensorSet.of(tensors);
    }

    /**
     * Copies the values of this modality's tensors into the weights; tensors of other modalities are not this
     * model's business. Everything is checked before the first weight changes, so a refused set leaves the model as
     * it was.
     */
    public void load(TensorSet tensors) {
        Map<String, float[]> values = validated(tensors);
        values.forEach((name, data) -> parameters.get(name).getArray().set(data));
    }

    private Map<String, float[]> validated(TensorSet tensors) {
        for (NamedTensor tensor : tensors) {
            if (tensor.modality() == modality && !parameters.containsKey(tensor.name())) {
                throw new IllegalArgumentException("unknown " + modality + " tensor '" + tensor.name()
                        + "': the model has no such parameter (its names look like '"
                        + parameters.keySet().iterator().next() + "')");
            }
        }
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : parameters.entrySet()) {
            String name = entry.getKey();
            NamedTensor tensor = tensors.get(name).filter(t -> t.modality() == modality)
                    .orElseThrow(() -> new IllegalArgumentException("tensor '" + name + "' of " + modality
                            + " is missing"));
            long[] expected = entry.getValue().getArray().getShape().getShape();
            long[] given = tensor.array().shape().dims();
            if (!Arrays.equals(expected, given)) {
                throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(given)
                        + ", the model's is " + Arrays.toString(expected));
            }
            values.put(name, finite(name, tensor.array().toFloatArray()));
        }
        return values;
    }

    private static float[] finite(String name, float[] data) {
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new IllegalArgumentException("tensor '" + name + "' holds " + data[i] + " at flat index " + i);
            }
        }
        return data;
    }
}
