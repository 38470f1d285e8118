package io.callosum.coordinator.inference;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.references.ReferenceConflictException;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.ReferenceBankStore;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.protocol.tensor.Modality;
import io.callosum.uncertainty.ood.GaussianClassModel;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reference banks an operator registered for a version's encoders (consented or generated subjects, never site
 * data), stored in PostgreSQL. Per bank and modality: the subjects' class-conditional Gaussian and the distance
 * below which a given share of them fall, which is the out-of-distribution threshold; fitted once per process, since
 * a bank's modality never changes once registered.
 */
@ApplicationScoped
public class ReferenceBanks {
    static final double QUANTILE = 0.95;
    static final int MIN_SUBJECTS = 4;
    private static final double SHRINKAGE = 0.1;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final ReferenceBankStore store;
    private final AuditLog audit;
    private final Map<Key, Fitted> fitted = new ConcurrentHashMap<>();

    public ReferenceBanks(ReferenceBankStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /** What registering one modality of a bank gave: its size, classes and out-of-distribution threshold. */
    public record Summary(String name, long modelVersion, String modality, int subjects, int classes,
                          double threshold, double quantile) {
    }

    /** A bank modality's subjects with their Gaussian and threshold. */
    record Fitted(StoredBank bank, BankSubjects subjects, GaussianClassModel model, double threshold) {
    }

    Summary register(String name, long version, BankSubjects subjects, String actor) {
        Fitted fit = fit(null, checkedName(name), subjects);
        StoredBank bank;
        try {
            bank = store.add(name, version, actor, subjects);
        } catch (ReferenceConflictException e) {
            throw InferenceException.conflict(e.getMessage());
        }
        fitted.put(new Key(bank.id(), subjects.modality()), new Fitted(bank, subjects, fit.model(), fit.threshold()));
        audit.record(actor, "references.bank_registered", "reference-bank-" + bank.id(), Map.of("name", name,
                "model_version", version, "modality", subjects.modality().tag(), "subjects", subjects.size()));
        return new Summary(name, version, subjects.modality().tag(), subjects.size(), fit.model().classes(),
                fit.threshold(), QUANTILE);
    }

    public List<StoredBank> all() {
        return store.all();
    }

    public Optional<StoredBank> find(String name) {
        return store.find(name);
    }

    public StoredBank bank(String name) {
        return find(name).orElseThrow(() -> InferenceException.notFound("no reference bank '" + name + "'"));
    }

    /** A bank's subjects of one modality with their fitted Gaussian; 422 when the bank lacks the modality. */
    Fitted modality(StoredBank bank, Modality modality) {
        Fitted known = fitted.get(new Key(bank.id(), modality));
        if (known != null) {
            return known;
        }
        BankSubjects subjects = store.subjects(bank.id(), modality).orElseThrow(() ->
                InferenceException.unprocessable("reference bank '" + bank.name() + "' holds no " + modality.tag()
                        + " subjects; it holds " + bank.modalities().stream().map(StoredBank.Part::modality)
                        .toList()));
        Fitted fit = fit(bank, bank.name(), subjects);
        fitted.put(new Key(bank.id(), modality), fit);
        return fit;
    }

    void delete(String name, String actor) {
        StoredBank bank = bank(name);
        try {
            store.delete(name);
        } catch (ReferenceConflictException e) {
            throw InferenceException.conflict(e.getMessage());
        }
        fitted.keySet().removeIf(key -> key.bank() == bank.id());
        audit.record(actor, "references.bank_deleted", "reference-bank-" + bank.id(), Map.of("name", name));
    }

    /**
     * Scores embeddings against the newest bank registered for their version and modality (looked up once): the
     * distance and the flag, or why there is none.
     */
    Function<float[], Uncertainty.OutOfDistribution> scorer(long version, Modality modality) {
        Optional<StoredBank> bank = store.newest(version, modality);
        if (bank.isEmpty()) {
            Uncertainty.OutOfDistribution none = Uncertainty.OutOfDistribution.unavailable("no reference bank is"
                    + " registered for model version " + version + "'s " + modality + " encoder"
                    + " (POST /api/v1/references)");
            return embedding -> none;
        }
        Fitted fitted = modality(bank.get(), modality);
        return embedding -> score(fitted, embedding);
    }

    static Uncertainty.OutOfDistribution score(Fitted bank, float[] embedding) {
        double distance = bank.model().mahalanobis(embedding);
        return new Uncertainty.OutOfDistribution(true, bank.bank() == null ? null : bank.bank().name(), distance,
                bank.model().energy(embedding), bank.threshold(), QUANTILE, distance > bank.threshold(), null);
    }

    /** Unlabelled subjects form one class. */
    static Fitted fit(StoredBank bank, String name, BankSubjects subjects) {
        if (subjects.size() < MIN_SUBJECTS) {
            throw InferenceException.unprocessable("a reference bank needs at least " + MIN_SUBJECTS + " "
                    + subjects.modality().tag() + " subjects, got " + subjects.size());
        }
        int[] labels = subjects.labelled() ? subjects.labels() : new int[subjects.size()];
        GaussianClassModel model;
        try {
            model = GaussianClassModel.fit(subjects.vectors(), labels, SHRINKAGE);
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable("reference bank '" + name + "': " + e.getMessage());
        }
        double[] scores = model.mahalanobis(subjects.vectors());
        Arrays.sort(scores);
        double threshold = scores[(int) Math.min(scores.length - 1, Math.ceil(QUANTILE * scores.length) - 1)];
        return new Fitted(bank, subjects, model, threshold);
    }

    private static String checkedName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw InferenceException.badRequest("a reference bank's 'name' is 1 to 63 characters of a-z, 0-9, '.',"
                    + " '_' and '-', starting with a letter or digit; got '" + name + "'");
        }
        return name;
    }

    private record Key(long bank, Modality modality) {
    }
}
