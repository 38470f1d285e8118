package io.callosum.coordinator.strategy;

/** FedAdam: v = β2·v + (1−β2)·Δ². */
final class FedAdam extends FedOpt {

    FedAdam(StrategySettings settings) {
        super("fedadam", settings);
    }

    @Override
    double nextSecondMoment(double v, double deltaSquared) {
        double beta2 = settings().beta2();
        return beta2 * v + (1 - beta2) * deltaSquared;
    }
}
