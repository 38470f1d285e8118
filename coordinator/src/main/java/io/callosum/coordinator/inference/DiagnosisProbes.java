package io.callosum.coordinator.inference;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.references.BankSubjects;
import io.callosum.coordinator.references.ProbeStore;
import io.callosum.coordinator.references.ReferenceConflictException;
import io.callosum.coordinator.references.StoredBank;
import io.callosum.coordinator.references.StoredProbe;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.diagnostics.FittedProbe;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.protocol.tensor.Modality;
import io.callosum.uncertainty.conformal.ConformalPredictor;
import io.callosum.uncertainty.conformal.ConformalQuantile;
import io.callosum.uncertainty.conformal.ScoreFunction;
import io.callosum.uncertainty.conformal.Threshold;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Downstream diagnosis probes with conformal calibration: an admin fits a linear probe on part of a labelled bank
 * modality's embeddings and keeps the nonconformity scores of the rest; a prediction gives the class probabilities
 * and the split-conformal set at the requested coverage, which the calibration size must allow.
 */
@ApplicationScoped
public class DiagnosisProbes {
    static final double DEFAULT_COVERAGE = 0.9;
    private static final double L2 = 1e-3;
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final List<String> SCORES = List.of("aps", "lac");

    private final ProbeStore store;
    private final ReferenceBanks banks;
    private final ModelCatalog catalog;
    private final EmbeddingService embeddings;
    private final AuditLog audit;

    public DiagnosisProbes(ProbeStore store, ReferenceBanks banks, ModelCatalog catalog, EmbeddingService embeddings,
                           AuditLog audit) {
        this.store = store;
        this.banks = banks;
        this.catalog = catalog;
        this.embeddings = embeddings;
        this.audit = audit;
    }

    /** What an admin asks for; {@code calibrationFraction} of each class is held out for calibration. */
    public record Registration(String name, String bank, Modality modality, String score, double calibrationFraction,
                               long seed) {
    }

    ProbeSummary register(Registration request, String actor) {
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw InferenceException.badRequest("a probe's 'name' is 1 to 63 characters of a-z, 0-9, '.', '_' and"
                    + " '-', starting with a letter or digit; got '" + request.name() + "'");
        }
        String score = request.score() == null ? "aps" : request.score().toLowerCase(Locale.ROOT);
        if (!SCORES.contains(score)) {
            throw InferenceException.badRequest("'score' must be aps or lac, got '" + request.score() + "'");
        }
        if (!(request.calibrationFraction() > 0 && request.calibrationFraction() < 1)) {
            throw InferenceException.badRequest("'calibration_fraction' must lie in (0, 1), got "
                    + request.calibrationFraction());
        }
        StoredBank bank = banks.bank(request.bank());
        BankSubjects subjects = banks.modality(bank, request.modality()).subjects();
        if (subjects.classes() < 2) {
            throw InferenceException.unprocessable("reference bank '" + bank.name() + "' has "
                    + (subjects.labelled() ? "one class" : "no labels") + " for " + request.modality().tag()
                    + "; a diagnosis probe needs labelled subjects of at least 2 classes");
        }
        ProbeSplit split = ProbeSplit.stratified(subjects.labels(), request.calibrationFraction(), request.seed());
        if (split.train().length == 0 || split.test().length == 0) {
            throw InferenceException.unprocessable("splitting " + subjects.size() + " subjects at calibration"
                    + " fraction " + request.calibrationFraction() + " leaves " + split.train().length + " to fit and "
                    + split.test().length + " to calibrate; both need at least one");
        }
        FittedProbe probe = new LinearProbe(L2).fit(subjects.vectors(), subjects.labels(), split.train());
        double[][] probabilities = Arrays.stream(split.test()).mapToObj(row -> probe.probabilities(
                subjects.vectors()[row])).toArray(double[][]::new);
        int[] truth = Arrays.stream(split.test()).map(row -> subjects.labels()[row]).toArray();
        double[] scores = scoreFunction(score).calibrationScores(probabilities, truth, null);
        long correct = Arrays.stream(split.test())
                .filter(row -> probe.predict(subjects.vectors()[row]) == subjects.labels()[row]).count();
        StoredProbe stored;
        try {
            stored = store.add(request.name(), bank.id(), request.modality().tag(), score, probe,
                    split.train().length, scores, (double) correct / split.test().length, request.seed(), actor);
        } catch (ReferenceConflictException e) {
            throw InferenceException.conflict(e.getMessage());
        }
        audit.record(actor, "probes.registered", "probe-" + stored.id(), Map.of("name", stored.name(), "bank",
                bank.name(), "modality", stored.modality(), "score", score));
        return ProbeSummary.of(stored);
    }

    List<ProbeSummary> all() {
        return store.all().stream().map(ProbeSummary::of).toList();
    }

    ProbeSummary summary(String name) {
        return ProbeSummary.of(probe(name));
    }

    void delete(String name, String actor) {
        StoredProbe probe = probe(name);
        store.delete(name);
        audit.record(actor, "probes.deleted", "probe-" + probe.id(), Map.of("name", name));
    }

    PredictionResult predict(ModalityDataset inputs, String probeName, Optional<Double> requestedCoverage,
                             Optional<Long> requestedVersion, String inputKind) {
        if (probeName == null || probeName.isBlank()) {
            throw InferenceException.badRequest("'probe' is missing: the name of a diagnosis probe"
                    + " (GET /api/v1/probes)");
        }
        StoredProbe probe = probe(probeName);
        double coverage = requestedCoverage.orElse(DEFAULT_COVERAGE);
        ConformalPredictor conformal = predictor(probe, coverage);
        if (!probe.modality().equals(inputs.modality().tag())) {
            throw InferenceException.unprocessable("probe '" + probe.name() + "' reads " + probe.modality()
                    + " embeddings; the input is " + inputs.modality().tag());
        }
        if (requestedVersion.isPresent() && requestedVersion.get() != probe.modelVersion()) {
            throw InferenceException.unprocessable("probe '" + probe.name() + "' was fitted on model version "
                    + probe.modelVersion() + "'s embeddings, not " + requestedVersion.get()
                    + "'s; ask for that version or none");
        }
        ModelCatalog.Chosen chosen = catalog.choose(inputs.modality(), Optional.of(probe.modelVersion()), 0);
        float[][] embedded = embeddings.encode(chosen, inputs);
        List<PredictionResult.Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < embedded.length; i++) {
            double[] probabilities = probe.probe().probabilities(embedded[i]);
            predictions.add(new PredictionResult.Prediction(inputs.subjects().get(i), probabilities,
                    probe.probe().predict(embedded[i]), conformal.predict(probabilities).labels()));
        }
        return new PredictionResult(probe.modelVersion(), chosen.plan().name(), ProbeSummary.of(probe), coverage,
                inputKind, predictions);
    }

    /** The split-conformal predictor at {@code coverage}, refused when the calibration size cannot give it. */
    private static ConformalPredictor predictor(StoredProbe probe, double coverage) {
        if (!(coverage > 0 && coverage < 1)) {
            throw InferenceException.badRequest("'coverage' must lie in (0, 1), got " + coverage);
        }
        double alpha = 1 - coverage;
        double[] scores = probe.calibrationScores();
        if (ConformalQuantile.rank(scores.length, alpha) > scores.length) {
            throw InferenceException.unprocessable("coverage " + coverage + " needs at least "
                    + neededCalibration(alpha) + " calibration subjects; probe '" + probe.name() + "' was calibrated"
                    + " on " + scores.length + ", which allows coverage up to " + scores.length + "/"
                    + (scores.length + 1));
        }
        return ConformalPredictor.of(scoreFunction(probe.scoreFunction()),
                new Threshold.Marginal(ConformalQuantile.of(scores, alpha)), alpha, null);
    }

    private static long neededCalibration(double alpha) {
        long n = Math.max(1, (long) Math.floor(1 / alpha) - 2);
        while (ConformalQuantile.rank(n, alpha) > n) {
            n++;
        }
        return n;
    }

    private static ScoreFunction scoreFunction(String tag) {
        return ScoreFunction.valueOf(tag.toUpperCase(Locale.ROOT));
    }

    private StoredProbe probe(String name) {
        return store.find(name).orElseThrow(() -> InferenceException.notFound("no diagnosis probe '" + name + "'"));
    }
}
