package io.callosum.coordinator.strategy;

import io.callosum.protocol.tensor.TensorSet;

import java.util.Map;

/**
 * FedAvg, and FedProx, which aggregates the same way and differs only in the proximal term its sites add to their
 * local loss (sent to them through {@link #siteConfig()}).
 */
record AveragingStrategy(String name, Map<String, Double> siteConfig) implements Strategy {
    static final String PROXIMAL_MU = "callosum.proximal_mu";

    AveragingStrategy {
        siteConfig = Map.copyOf(siteConfig);
    }

    static AveragingStrategy fedAvg() {
        return new AveragingStrategy("fedavg", Map.of());
    }

    static AveragingStrategy fedProx(double proximalMu) {
        return new AveragingStrategy("fedprox", Map.of(PROXIMAL_MU, proximalMu));
    }

    @Override
    public RoundAggregation begin(TensorSet global, ServerOptimizerState state) {
        return new StreamingRound(global, new MeanReplacesGlobal(state));
    }
}
