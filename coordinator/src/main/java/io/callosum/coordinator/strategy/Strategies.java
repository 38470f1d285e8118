package io.callosum.coordinator.strategy;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/** Builds a strategy from its settings. */
public final class Strategies {
    private static final Map<String, Function<StrategySettings, Strategy>> KNOWN = new TreeMap<>(Map.of(
            "fedavg", settings -> AveragingStrategy.fedAvg(),
            "fedprox", settings -> AveragingStrategy.fedProx(settings.proximalMu()),
            "fedavgm", FedAvgM::new,
            "fedadam", FedAdam::new,
            "fedyogi", FedYogi::new));

    private Strategies() {
    }

    public static Strategy create(StrategySettings settings) {
        Function<StrategySettings, Strategy> factory = KNOWN.get(settings.name());
        if (factory == null) {
            throw new IllegalArgumentException("unknown strategy '" + settings.name() + "'; known: "
                    + String.join(", ", KNOWN.keySet()));
        }
        return factory.apply(settings);
    }
}
