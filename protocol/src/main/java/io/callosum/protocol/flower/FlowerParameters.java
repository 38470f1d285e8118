package io.callosum.protocol.flower;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.callosum.protocol.flower.proto.Transport.Parameters;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.NpyFormatException;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.tensor.TensorSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Converts tensor sets to and from Flower's {@code Parameters}: one {@code .npy} blob per tensor, in order,
 * with {@code tensor_type} {@value #TENSOR_TYPE}. Names and modalities travel separately as a
 * {@link TensorManifest} under {@value #MANIFEST_KEY} in the message's config or metrics map.
 */
public final class FlowerParameters {
    public static final String TENSOR_TYPE = "numpy.ndarray";
    public static final String MANIFEST_KEY = "callosum.tensors";

    private FlowerParameters() {
    }

    /** Encodes without copying element data: each blob is the header followed by a view of the array's bytes. */
    public static Parameters encode(TensorSet set) {
        Parameters.Builder parameters = Parameters.newBuilder().setTensorType(TENSOR_TYPE);
        for (NamedTensor tensor : set) {
            NpyArray array = tensor.array();
            ByteString header = UnsafeByteOperations.unsafeWrap(NpyCodec.encodeHeader(array, NpyCodec.versionFor(array)));
            parameters.addTensors(header.concat(UnsafeByteOperations.unsafeWrap(array.data())));
        }
        return parameters.build();
    }

    /**
     * Decodes the blobs and names them by {@code manifest}, refusing a count, dtype or shape that disagrees.
     * The arrays view the message's bytes; nothing is copied.
     */
    public static TensorSet decode(Parameters parameters, TensorManifest manifest) {
        List<NpyArray> arrays = decodeArrays(parameters);
        if (arrays.size() != manifest.size()) {
            throw new ParametersFormatException("parameters hold " + arrays.size() + " tensors but the manifest names "
                    + manifest.size());
        }
        List<NamedTensor> tensors = new ArrayList<>(arrays.size());
        for (int i = 0; i < arrays.size(); i++) {
            TensorSpec spec = manifest.specs().get(i);
            NpyArray array = arrays.get(i);
            if (array.dtype() != spec.dtype() || !array.shape().equals(spec.shape())) {
                throw new ParametersFormatException("tensor #" + i + " '" + spec.name() + "': expected "
                        + spec.dtype().code() + " " + spec.shape() + ", got " + array.dtype().code() + " " + array.shape());
            }
            tensors.add(new NamedTensor(spec.name(), spec.modality(), array));
        }
        return TensorSet.of(tensors);
    }

    /** Decodes every blob, naming the first one that is not a valid {@code .npy} array. */
    public static List<NpyArray> decodeArrays(Parameters parameters) {
        List<NpyArray> arrays = new ArrayList<>(parameters.getTensorsCount());
        for (int i = 0; i < parameters.getTensorsCount(); i++) {
            try {
                arrays.add(NpyCodec.decode(parameters.getTensors(i).asReadOnlyByteBuffer()));
            } catch (NpyFormatException e) {
                throw new ParametersFormatException("tensor #" + i + " of " + parameters.getTensorsCount()
                        + ": " + e.getMessage());
            }
        }
        return arrays;
    }

    public static Scalar manifestEntry(TensorManifest manifest) {
        return Scalar.newBuilder().setString(manifest.encode()).build();
    }

    /** The manifest a Callosum peer put in a config or metrics map; empty for a stock Flower peer. */
    public static Optional<TensorManifest> manifestIn(Map<String, Scalar> entries) {
        Scalar entry = entries.get(MANIFEST_KEY);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.getScalarCase() != Scalar.ScalarCase.STRING) {
            throw new ParametersFormatException("'" + MANIFEST_KEY + "' must be a string, got " + entry.getScalarCase());
        }
        try {
            return Optional.of(TensorManifest.parse(entry.getString()));
        } catch (IllegalArgumentException e) {
            throw new ParametersFormatException("'" + MANIFEST_KEY + "': " + e.getMessage());
        }
    }
}
