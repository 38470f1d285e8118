package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;

/** How a federation turns the sites' updates of one round into the next global model. */
public interface Strategy {

    /** The name settings and stored versions use: "fedavg", "fedprox", "fedavgm", "fedadam" or "fedyogi". */
    String name();

    /** Settings sent to every site in the FitIns config, e.g. FedProx's proximal term; empty when none. */
    Map<String, Double> siteConfig();

    /** Starts a round on {@code global}, continuing the server optimizer from {@code state}. */
    RoundAggregation begin(TensorSet global, ServerOptimizerState state);
}
