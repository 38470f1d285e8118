package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;

/**
 * Adaptive federated optimization (Reddi et al., "Adaptive Federated Optimization", ICLR 2021), as Flower's
 * FedAdam and FedYogi compute it: the round's FedAvg mean minus the global model is a pseudo-gradient Δ, and per
 * element m = β1·m + (1−β1)·Δ, v = (the variant's rule), next = global + η·m / (√v + τ).
 *
 * <p>Both moments start at zero, as in Flower (the paper allows v to start at τ² or above), and, as in the paper
 * and Flower's FedYogi, η carries no Adam-style bias correction.
 */
abstract class FedOpt implements Strategy {
    private final String name;
    private final StrategySettings settings;

    FedOpt(String name, StrategySettings settings) {
        this.name = name;
        this.settings = settings;
    }

    /** The variant's second-moment update from the previous {@code v} and this round's Δ². */
    abstract double nextSecondMoment(double v, double deltaSquared);

    StrategySettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Map<String, Double> siteConfig() {
        return Map.of();
    }

    @Override
    public RoundAggregation begin(TensorSet global, ServerOptimizerState state) {
        return new StreamingRound(global, new FedOptUpdate(this, global, state));
    }
}
