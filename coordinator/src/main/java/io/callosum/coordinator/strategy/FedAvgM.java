package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;

/**
 * FedAvg with a server step size and server momentum (Hsu et al., "Measuring the Effects of Non-Identical Data
 * Distribution for Federated Visual Classification", 2019), as Flower's FedAvgM computes it: the round's FedAvg
 * mean minus the global model is Δ; with momentum β &gt; 0, u = β·u + Δ (u = Δ in the first round) and
 * next = global + η·u, or global + η·Δ without momentum. η = 1 and β = 0 is FedAvg.
 *
 * <p>η &gt; 1 takes a longer step along the sites' mean update. Averaging sites whose local optima differ shortens
 * the mean update (their disagreeing components cancel), so that the global model moves less per round than any one
 * site's model did.
 */
record FedAvgM(StrategySettings settings) implements Strategy {

    @Override
    public String name() {
        return "fedavgm";
    }

    @Override
    public Map<String, Double> siteConfig() {
        return Map.of();
    }

    @Override
    public RoundAggregation begin(TensorSet global, ServerOptimizerState state) {
        return new StreamingRound(global, new FedAvgMUpdate(settings.serverLearningRate(), settings.serverMomentum(),
                global, state));
    }
}
