package io.callosum.coordinator.strategy;

import java.util.Objects;

/**
 * Everything a strategy is configured with; each strategy reads only its own fields.
 *
 * @param proximalMu         FedProx's proximal term weight, applied at the sites
 * @param serverLearningRate the server step size (eta) of FedAvgM, FedAdam and FedYogi
 * @param serverMomentum     FedAvgM's server momentum (0: none; a plan stored before FedAvgM reads back as 0)
 * @param beta1              first-moment decay
 * @param beta2              second-moment decay
 * @param tau                adaptivity floor added to the square root of the second moment
 */
public record StrategySettings(String name, double proximalMu, double serverLearningRate, double serverMomentum,
                               double beta1, double beta2, double tau) {

    public StrategySettings {
        Objects.requireNonNull(name, "name");
        requireAtLeastZero("proximalMu", proximalMu);
        requirePositive("serverLearningRate", serverLearningRate);
        requireDecay("serverMomentum", serverMomentum);
        requireDecay("beta1", beta1);
        requireDecay("beta2", beta2);
        requirePositive("tau", tau);
    }

    /**
     * Flower's defaults as its code sets them: FedProx mu 0.01; FedAvgM eta 1.0 and no momentum; FedAdam eta 0.1,
     * tau 1e-9; FedYogi eta 0.01, tau 1e-3 (FedYogi's docstring claims FedAdam's values, its constructor does not);
     * beta1 0.9 and beta2 0.99 for both.
     */
    public static StrategySettings defaults(String name) {
        return new StrategySettings(name, 0.01, defaultServerLearningRate(name), 0, 0.9, 0.99,
                "fedyogi".equals(name) ? 1e-3 : 1e-9);
    }

    /** Flower's server step size for {@code name}: 0.1 for FedAdam, 0.01 for FedYogi, 1.0 otherwise (FedAvg's). */
    public static double defaultServerLearningRate(String name) {
        return switch (name) {
            case "fedadam" -> 1e-1;
            case "fedyogi" -> 1e-2;
            default -> 1.0;
        };
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
