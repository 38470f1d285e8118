package io.callosum.site.training;

import ai.djl.training.tracker.Tracker;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.Objective;
import io.callosum.protocol.tensor.Modality;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What the coordinator asks of one fit round: local optimizer steps per modality, the objective and its λ (see
 * {@link JepaConfig}), FedProx's μ (0 for plain FedAvg), and the federation's learning-rate cosine: over
 * {@code decaySteps} steps in all, of which {@code decayStart} came before this round (0 and 0: a constant rate),
 * and how batches draw the site's subjects. {@code modalityLambdas} gives the modalities it names their own λ. They
 * may change from round to round.
 */
public record FitSettings(int localSteps, float learningRate, int batchSize, Objective objective, float lambda,
                          float proximalMu, int decaySteps, int decayStart, BatchSampling sampling,
                          Map<Modality, Float> modalityLambdas) {

    public FitSettings {
        Objects.requireNonNull(objective, "objective");
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps must be at least 1, got " + localSteps);
        }
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive finite number, got " + learningRate);
        }
        if (!(proximalMu >= 0) || Float.isInfinite(proximalMu)) {
            throw new IllegalArgumentException("proximal mu must be 0 or a positive finite number, got " + proximalMu);
        }
        modalityLambdas = modalityLambdas == null ? Map.of() : Map.copyOf(modalityLambdas);
        jepaConfig(objective, lambda, batchSize, learningRate, 0, decaySteps, decayStart, sampling);
        modalityLambdas.forEach((modality, own) -> {
            try {
                jepaConfig(objective, own, batchSize, learningRate, 0, decaySteps, decayStart, sampling);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(modality + ": " + e.getMessage(), e);
            }
        });
    }

    /** One λ for every modality. */
    public FitSettings(int localSteps, float learningRate, int batchSize, Objective objective, float lambda,
                       float proximalMu, int decaySteps, int decayStart, BatchSampling sampling) {
        this(localSteps, learningRate, batchSize, objective, lambda, proximalMu, decaySteps, decayStart, sampling,
                Map.of());
    }

    /** A constant learning rate, uniform batches and one λ. */
    public FitSettings(int localSteps, float learningRate, int batchSize, Objective objective, float lambda,
                       float proximalMu) {
        this(localSteps, learningRate, batchSize, objective, lambda, proximalMu, 0, 0, BatchSampling.UNIFORM);
    }

    /** 20 SIGReg steps (λ 0.5) of 32 subjects at learning rate 10⁻³, no proximal term. */
    public static FitSettings defaults() {
        JepaConfig jepa = JepaConfig.defaults(Objective.SIGREG);
        return new FitSettings(20, jepa.learningRate(), jepa.batchSize(), jepa.objective(), jepa.lambda(), 0f);
    }

    /** The learning rate at this round's first step, and at its last where it falls along the federation's cosine. */
    String learningRates() {
        Tracker rates = jepaConfig(objective, lambda, batchSize, learningRate, 0, decaySteps, decayStart, sampling)
                .learningRateTracker();
        String first = String.format(Locale.ROOT, "%.2e", rates.getNewValue(1));
        return decaySteps == 0 ? first : first + " → " + String.format(Locale.ROOT, "%.2e",
                rates.getNewValue(localSteps)) + " (cosine, steps " + (decayStart + 1) + "–"
                + Math.min(decaySteps, decayStart + localSteps) + " of " + decaySteps + ")";
    }

    /** The objective's weight for {@code modality}'s encoder. */
    public float lambda(Modality modality) {
        return modalityLambdas.getOrDefault(modality, lambda);
    }

    /** The trainer configuration these settings ask of {@code modality}; the seed drives batch and mask sampling. */
    JepaConfig jepaConfig(Modality modality, long seed) {
        return jepaConfig(objective, lambda(modality), batchSize, learningRate, seed, decaySteps, decayStart,
                sampling);
    }

    /** Also validates λ, the batch size, the decay and the sampling, which {@link JepaConfig} checks. */
    private static JepaConfig jepaConfig(Objective objective, float lambda, int batchSize, float learningRate,
                                         long seed, int decaySteps, int decayStart, BatchSampling sampling) {
        JepaConfig defaults = JepaConfig.defaults(objective);
        return new JepaConfig(objective, lambda, batchSize, learningRate, defaults.slices(), defaults.emaMomentum(),
                seed, decaySteps, decayStart, sampling);
    }
}
