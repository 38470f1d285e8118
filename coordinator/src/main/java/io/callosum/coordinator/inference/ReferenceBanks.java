package io.callosum.coordinator.inference;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.references.ReferenceConflictException;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.ReferenceBankStore;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Reference banks an operator registered for a version's encoders (consented or generated subjects, never site
 * data), stored in PostgreSQL. Per bank and modality: its {@link ReferenceModel} (the out-of-distribution scores and
 * thresholds), fitted once per process, since a bank's modality never changes once registered.
 */
@ApplicationScoped
public class ReferenceBanks {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    private final ReferenceBankStore store;
    private final AuditLog audit;
    private final Map<Key, Fitted> fitted = new ConcurrentHashMap<>();

    public ReferenceBanks(ReferenceBankStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    /**
     * What registering one modality of a bank gave: its size, classes and out-of-distribution thresholds (the
     * acquisition's null when the bank was registered from precomputed embeddings).
     */
    public record Summary(String name, long modelVersion, String modality, int subjects, int classes,
                          double threshold, Double acquisitionThreshold, double quantile) {
    }

    /** A bank modality's subjects with their fitted scores. */
    record Fitted(StoredBank bank, BankSubjects subjects, ReferenceModel model) {
        double threshold() {
            return model.threshold();
        }
    }

    Summary register(String name, long version, BankSubjects subjects, String actor) {
        ReferenceModel fit = ReferenceModel.fit(checkedName(name), subjects);
        StoredBank bank;
        try {
            bank = store.add(name, version, actor, subjects);
        } catch (ReferenceConflictException e) {
            throw InferenceException.conflict(e.getMessage());
        }
        fitted.put(new Key(bank.id(), subjects.modality()), new Fitted(bank, subjects, fit));
        audit.record(actor, "references.bank_registered", "reference-bank-" + bank.id(), Map.of("name", name,
                "model_version", version, "modality", subjects.modality().tag(), "subjects", subjects.size()));
        return new Summary(name, version, subjects.modality().tag(), subjects.size(), fit.embeddings().classes(),
                fit.threshold(), fit.acquisition().map(ReferenceModel.Acquisition::threshold).orElse(null),
                fit.quantile());
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
        Fitted fit = new Fitted(bank, subjects, ReferenceModel.fit(bank.name(), subjects));
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
     * Scores inputs (embedding, tokenizer statistics) against the newest bank registered for their version and
     * modality (looked up once): the distances and the flag, or why there is none.
     */
    ReferenceScorer scorer(long version, Modality modality) {
        Optional<StoredBank> bank = store.newest(version, modality);
        if (bank.isEmpty()) {
            return ReferenceScorer.none("no reference bank is registered for model version " + version + "'s "
                    + modality + " encoder (POST /api/v1/references)");
        }
        return modality(bank.get(), modality).model();
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
