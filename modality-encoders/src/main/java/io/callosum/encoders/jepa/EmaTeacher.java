package io.callosum.encoders.jepa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.model.EncoderConfig;
import io.callosum.encoders.model.ModalityEncoder;

import java.util.List;

/**
 * I-JEPA's target encoder: a copy of the online encoder whose weights follow it as an exponential moving average
 * and which never receives gradients.
 */
final class EmaTeacher implements AutoCloseable {
    private final ModalityEncoder teacher;
    private final ParameterStore store;
    private final NDManager manager;

    EmaTeacher(InputGeometry geometry, EncoderConfig config, ModalityEncoder online, NDManager parent, Shape input) {
        this.manager = parent.newSubManager();
        this.teacher = new ModalityEncoder(geometry, config);
        teacher.initialize(manager, DataType.FLOAT32, input);
        this.store = new ParameterStore(manager, false);
        follow(online, 0f);
    }

    /** Token embeddings of {@code input} by the teacher, detached from any gradient. */
    NDArray encode(NDArray input) {
        NDArray tokens = teacher.tokens(store, input, false);
        return teacher.encode(store, tokens, null, false).stopGradient();
    }

    /** teacher ← momentum · teacher + (1 − momentum) · online. */
    void follow(ModalityEncoder online, float momentum) {
        List<Pair<String, Parameter>> mine = teacher.getParameters().stream().toList();
        List<Pair<String, Parameter>> theirs = online.getParameters().stream().toList();
        for (int i = 0; i < mine.size(); i++) {
            NDArray target = mine.get(i).getValue().getArray();
            NDArray source = theirs.get(i).getValue().getArray();
            try (NDArray scaled = source.mul(1 - momentum)) {
                target.muli(momentum).addi(scaled);
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
