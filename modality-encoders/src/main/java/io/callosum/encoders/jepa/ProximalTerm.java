package io.callosum.encoders.jepa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import java.util.ArrayList;
import java.util.List;

/**
 * FedProx's proximal term μ/2·‖w − w_anchor‖² (Li et al. 2020), applied as its gradient μ·(w − w_anchor) so that
 * the logged loss stays the JEPA loss: it keeps a site's local steps near the global weights it started from, which
 * limits client drift when sites hold different patient mixes.
 */
final class ProximalTerm implements AutoCloseable {
    private final float mu;
    private final NDManager manager;
    private final List<Pair<Parameter, NDArray>> anchors = new ArrayList<>();

    /** Anchors at a copy of the trainable parameters' current values (running statistics are not trained). */
    ProximalTerm(float mu, PairList<String, Parameter> parameters, NDManager parent) {
        if (!(mu > 0) || Float.isInfinite(mu)) {
            throw new IllegalArgumentException("proximal mu must be a positive finite number, got " + mu);
        }
        this.mu = mu;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> parameter : parameters) {
            if (!parameter.getValue().requiresGradient()) {
                continue;
            }
            NDArray copy = parameter.getValue().getArray().duplicate();
            copy.attach(manager);
            anchors.add(new Pair<>(parameter.getValue(), copy));
        }
    }

    /** Adds μ·(w − w_anchor) to every parameter's gradient; call between the backward pass and the optimizer step. */
    void addGradients() {
        for (Pair<Parameter, NDArray> anchor : anchors) {
            NDArray weights = anchor.getKey().getArray();
            try (NDArray gradient = weights.getGradient(); NDArray pull = weights.sub(anchor.getValue())) {
                gradient.addi(pull.muli(mu));
            }
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
