package io.callosum.coordinator.strategy;

/** FedYogi: v = v − (1−β2)·Δ²·sign(v − Δ²), which grows v only as fast as Δ² demands and shrinks it additively. */
final class FedYogi extends FedOpt {

    FedYogi(StrategySettings settings) {
        super("fedyogi", settings);
    }

    @Override
    double nextSecondMoment(double v, double deltaSquared) {
        return v - (1 - settings().beta2()) * deltaSquared * Math.signum(v - deltaSquared);
    }
}
