package io.callosum.coordinator.inference;

import io.callosum.uncertainty.ood.GaussianClassModel;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reference subjects an operator registered for one version's encoder of one modality (consented or generated
 * subjects, never site data): their class-conditional Gaussian and the distance below which a given share of them
 * fall, which is the out-of-distribution threshold. Kept in memory; registered again after a restart.
 */
@ApplicationScoped
public class ReferenceBanks {
    static final double QUANTILE = 0.95;
    private static final double SHRINKAGE = 0.1;

    private final Map<Key, Bank> banks = new ConcurrentHashMap<>();

    /** A fitted bank: its name, size and threshold. */
    public record Summary(String name, long modelVersion, String modality, int subjects, int classes,
                          double threshold, double quantile) {
    }

    Summary register(String name, long version, Modality modality, float[][] embeddings, int[] labels) {
        if (embeddings.length < 4) {
            throw InferenceException.unprocessable("a reference bank needs at least 4 subjects, got "
                    + embeddings.length);
        }
        GaussianClassModel model;
        try {
            model = GaussianClassModel.fit(embeddings, labels, SHRINKAGE);
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable("reference bank '" + name + "': " + e.getMessage());
        }
        double[] scores = model.mahalanobis(embeddings);
        Arrays.sort(scores);
        double threshold = scores[(int) Math.min(scores.length - 1, Math.ceil(QUANTILE * scores.length) - 1)];
        Bank bank = new Bank(name, model, threshold);
        banks.put(new Key(version, modality), bank);
        return new Summary(name, version, modality.tag(), embeddings.length, model.classes(), threshold, QUANTILE);
    }

    Uncertainty.OutOfDistribution score(long version, Modality modality, float[] embedding) {
        Optional<Bank> bank = Optional.ofNullable(banks.get(new Key(version, modality)));
        if (bank.isEmpty()) {
            return Uncertainty.OutOfDistribution.unavailable("no reference bank is registered for model version "
                    + version + "'s " + modality + " encoder (POST /api/v1/references)");
        }
        GaussianClassModel model = bank.get().model();
        double distance = model.mahalanobis(embedding);
        return new Uncertainty.OutOfDistribution(true, bank.get().name(), distance, model.energy(embedding),
                bank.get().threshold(), QUANTILE, distance > bank.get().threshold(), null);
    }

    private record Key(long version, Modality modality) {
    }

    private record Bank(String name, GaussianClassModel model, double threshold) {
    }
}
