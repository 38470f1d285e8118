package io.callosum.coordinator.strategy;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Checks a whole site update against the global model before any of it is folded in. */
final class UpdateValidator {
    private final TensorSet global;

    UpdateValidator(TensorSet global) {
        for (NamedTensor tensor : global) {
            if (!ChunkReader.isAggregated(tensor.array().dtype())) {
                throw new IllegalArgumentException("global tensor '" + tensor.name() + "' is "
                        + tensor.array().header().descr() + "; only float32 and float64 tensors can be aggregated");
            }
        }
        this.global = global;
    }

    /** The update's tensors, each in C order, or an {@link UpdateRejectedException} naming what was wrong. */
    List<NamedTensor> validate(String site, TensorSet update) {
        if (site == null || site.isBlank()) {
            throw new IllegalArgumentException("an update needs the name of the site that sent it");
        }
        Objects.requireNonNull(update, "update");
        if (update.size() == 0) {
            throw new UpdateRejectedException(site, "the update holds no tensors");
        }
        List<NamedTensor> checked = new ArrayList<>(update.size());
        for (NamedTensor tensor : update) {
            checked.add(validate(site, tensor));
        }
        return checked;
    }

    private NamedTensor validate(String site, NamedTensor tensor) {
        String name = tensor.name();
        NamedTensor reference = global.get(name).orElseThrow(() -> new UpdateRejectedException(site,
                "tensor '" + name + "' is not in the global model"));
        NpyArray array = tensor.array();
        NpyArray expected = reference.array();
        if (tensor.modality() != reference.modality()) {
            throw new UpdateRejectedException(site, "tensor '" + name + "' is tagged " + tensor.modality()
                    + " but the global model's is " + reference.modality());
        }
        if (array.dtype() != expected.dtype()) {
            throw new UpdateRejectedException(site, "tensor '" + name + "' has dtype " + array.dtype().code()
                    + " but the global model's is " + expected.dtype().code());
        }
        if (!array.shape().equals(expected.shape())) {
            throw new UpdateRejectedException(site, "tensor '" + name + "' has shape " + array.shape()
                    + " but the global model's is " + expected.shape());
        }
        NpyArray inCOrder = ChunkReader.inCOrder(array);
        requireFinite(site, name, inCOrder);
        return new NamedTensor(name, reference.modality(), inCOrder);
    }

    private static void requireFinite(String site, String name, NpyArray array) {
        long index = ChunkReader.of(array).firstNonFinite();
        if (index >= 0) {
            throw new UpdateRejectedException(site, "tensor '" + name + "' holds " + array.getDouble(index)
                    + " at flat index " + index);
        }
    }
}
