package io.callosum.coordinator.strategy;

import java.util.Objects;

/**
 * Everything a strategy is configured with; each strategy reads only its own fields.
 *
 * @param proximalMu         FedProx's proximal term weight, applied at the sites
 * @param serverLearningRate FedAdam/FedYogi's server step size (eta)
 * @param beta1              first-moment decay
 * @param beta2              second-moment decay
 * @param tau                adaptivity floor added to the square root of the second moment
 */
public record StrategySettings(String name, double proximalMu, double serverLearningRate, double beta1, double beta2,
                               double tau) {

    public StrategySettings {
        Objects.requireNonNull(name, "name");
        requireAtLeastZero("proximalMu", proximalMu);
        requirePositive("serverLearningRate", serverLearningRate);
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        requirePositive("tau", tau);
    }

    /**
     * Flower's defaults as its code sets them: FedProx mu 0.01; FedAdam eta 0.1, tau 1e-9; FedYogi eta 0.01, tau 1e-3
     * (FedYogi's docstring claims FedAdam's values, its constructor does not); beta1 0.9 and beta2 0.99 for both.
     */
    public static StrategySettings defaults(String name) {
        boolean yogi = "fedyogi".equals(name);
        return new StrategySettings(name, 0.01, yogi ? 1e-2 : 1e-1, 0.9, 0.99, yogi ? 1e-3 : 1e-9);
    }

    private static void requireAtLeastZero(String field, double value) {
        if (!(value >= 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + value);
        }
    }

    private static void requirePositive(String field, double value) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, got " + value);
        }
    }

    private static void requireDecay(String field, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(field + " must be in [0, 1), got " + value);
        }
    }
}
