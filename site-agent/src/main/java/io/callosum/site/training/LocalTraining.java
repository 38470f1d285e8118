package io.callosum.site.training;

import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.Set;

/**
 * A site's side of federated JEPA pretraining: one trainer per modality the site's {@code subjects.tsv} lists, a fixed
 * held-out set of subjects that is never trained on, and the fit and evaluate steps of a round. Only tensors and
 * aggregate metrics come out. Not thread-safe: a site runs one round at a time.
 */
public final class LocalTraining implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalTraining.class);
    private static final int NO_ROUND = -1;
    private static final int MIN_SUBJECTS_PER_SIDE = 2;

    private final String site;
    private final SubjectSplit split;
    private final Map<Modality, ModalityTraining> modalities;

    private LocalTraining(String site, SubjectSplit split, Map<Modality, ModalityTraining> modalities) {
        this.site = site;
        this.split = split;
        this.modalities = modalities;
    }

    /**
     * Loads every modality of the site's data. {@code model} fixes the architecture and initial weights, which every
     * site shares; {@code seed} fixes this site's held-out subjects. Each modality needs at least two training and two
     * held-out subjects.
     */
    public static LocalTraining open(String site, Path dataDir, ModelSettings model, long seed) throws IOException {
        SiteCatalog catalog = SiteCatalog.read(dataDir);
        SubjectSplit split = SubjectSplit.stratified(catalog, seed);
        Map<Modality, ModalityTraining> modalities = new EnumMap<>(Modality.class);
        try {
            for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
                if (catalog.with(modality).isEmpty()) {
                    continue;
                }
                ModalityDataset all = DatasetLoader.load(catalog, modality);
                ModalityDataset train = split.train(all);
                ModalityDataset heldOut = split.heldOut(all);
                if (train.size() < MIN_SUBJECTS_PER_SIDE || heldOut.size() < MIN_SUBJECTS_PER_SIDE) {
                    throw new IOException(dataDir + ": site " + site + " has " + train.size() + " training and "
                            + heldOut.size() + " held-out " + modality + " subjects; each needs at least "
                            + MIN_SUBJECTS_PER_SIDE);
                }
                modalities.put(modality, new ModalityTraining(train, heldOut, model.encoderConfig(modality),
                        FitSettings.defaults().jepaConfig(modality, model.seed()), samplingSeed(site, model.seed())));
            }
        } catch (IOException | RuntimeException e) {
            modalities.values().forEach(ModalityTraining::close);
            throw e;
        }
        if (modalities.isEmpty()) {
            throw new IOException(dataDir + ": site " + site + " lists no imaging, EEG or omics file");
        }
        LocalTraining training = new LocalTraining(site, split, modalities);
        LOG.info("[site {}] opened {}: {} held out", site, training.inventory().subjects(), split.heldOut().size());
        return training;
    }

    /**
     * The seed of a site's training batches and masks: {@code base} (the model's seed in pretraining, the round in
     * alignment) mixed with the site's id, so that sites draw independently of each other and the same site draws
     * the same in every run. With the model's seed alone every site drew the same masks in the same order, so the
     * sites' gradient noise was correlated and averaging did not cancel it: in a replay of the demo's federation,
     * distinct seeds lifted federated omics from 0.761 / 0.744 / 0.748 to 0.787 / 0.771 / 0.784 (batch seeds
     * 7 / 8 / 9).
     */
    public static long samplingSeed(String site, long base) {
        return new SplittableRandom(base ^ ((long) site.hashCode() << 32 | site.length())).nextLong();
    }

    /**
     * The subjects of {@code modality} that a site opened with {@code seed} trains on (all but its held-out ones),
     * normalized as training sees them: what a baseline must train on to be compared with the federation fairly.
     */
    public static ModalityDataset trainingSubjects(Path dataDir, Modality modality, long seed) throws IOException {
        SiteCatalog catalog = SiteCatalog.read(dataDir);
        return SubjectSplit.stratified(catalog, seed).train(DatasetLoader.load(catalog, modality));
    }

    public SiteInventory inventory() {
        Map<Modality, Integer> subjects = new EnumMap<>(Modality.class);
        modalities.forEach((modality, training) ->
                subjects.put(modality, training.trainSubjects() + training.heldOutSubjects()));
        return new SiteInventory(site, subjects);
    }

    /** The subjects evaluation scores on and training never sees. */
    public Set<String> heldOutSubjects() {
        return split.heldOut();
    }

    /** The current weights of every held modality. */
    public TensorSet parameters() {
        List<NamedTensor> tensors = new ArrayList<>();
        modalities.values().forEach(training -> tensors.addAll(training.parameters().tensors()));
        return TensorSet.of(tensors);
    }

    public FitOutcome fit(TensorSet global, FitSettings settings) {
        return fit(global, settings, NO_ROUND);
    }

    /**
     * Loads the global tensors (a modality the global set lacks keeps its local weights) into trainers with fresh
     * optimizers, anchors FedProx there, trains {@code settings.localSteps()} steps per modality on the training subjects and returns the updated tensors.
     * A global tensor of a modality the site does not hold, or one its model refuses, fails the whole call before any
     * weight changes. {@code round} only labels the log.
     */
    public FitOutcome fit(TensorSet global, FitSettings settings, int round) {
        long start = System.nanoTime();
        modalities.values().forEach(training -> training.startRound(settings));
        loadGlobal(global, round);
        Map<String, Double> metrics = new LinkedHashMap<>();
        long examples = 0;
        for (ModalityTraining training : modalities.values()) {
            training.anchorAtCurrentWeights(settings.proximalMu());
            Map<String, Double> trained = training.train(settings.localSteps());
            metrics.putAll(trained);
            examples += training.trainSubjects();
            LOG.info("{} fit {}: {} steps on {} subjects ({} batches) at learning rate {}, λ {}, loss {}",
                    where(round), training.modality(), settings.localSteps(), training.trainSubjects(),
                    settings.sampling().tag(), settings.learningRates(), settings.lambda(training.modality()),
                    format(trained, "loss", training.modality()));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.put("train_seconds", seconds);
        LOG.info("{} fit done in {} s", where(round), String.format(Locale.ROOT, "%.1f", seconds));
        return new FitOutcome(parameters(), examples, metrics);
    }

    public EvaluationOutcome evaluate(TensorSet global) {
        return evaluate(global, NO_ROUND);
    }

    /** Loads the global tensors as {@link #fit} does and scores them on the held-out subjects. */
    public EvaluationOutcome evaluate(TensorSet global, int round) {
        loadGlobal(global, round);
        Map<String, Double> metrics = new LinkedHashMap<>();
        long examples = 0;
        double weightedLoss = 0;
        for (ModalityTraining training : modalities.values()) {
            Map<String, Double> scored = training.evaluate();
            metrics.putAll(scored);
            examples += training.heldOutSubjects();
            weightedLoss += scored.get("loss." + training.modality().tag()) * training.heldOutSubjects();
            LOG.info("{} evaluate {} on {} held-out subjects: loss {}, probe accuracy {}", where(round),
                    training.modality(), training.heldOutSubjects(), format(scored, "loss", training.modality()),
                    format(scored, "probe_accuracy", training.modality()));
        }
        return new EvaluationOutcome(weightedLoss / examples, examples, metrics);
    }

    /** Loads the global encoders of the held modalities, as {@link #fit} does, and leaves them untrained. */
    void loadEncoders(TensorSet global) {
        loadGlobal(global.select(modalities.keySet()), NO_ROUND);
    }

    /** The held modalities' training state, in modality order. */
    Map<Modality, ModalityTraining> modalities() {
        return Collections.unmodifiableMap(modalities);
    }

    private void loadGlobal(TensorSet global, int round) {
        for (NamedTensor tensor : global) {
            if (!modalities.containsKey(tensor.modality())) {
                throw new IllegalArgumentException("global tensor '" + tensor.name() + "' is for " + tensor.modality()
                        + ", which site " + site + " does not hold (it holds " + modalities.keySet() + ")");
            }
        }
        TensorSet previous = parameters();
        List<ModalityTraining> loaded = new ArrayList<>();
        try {
            for (ModalityTraining training : modalities.values()) {
                if (global.modalities().contains(training.modality())) {
                    training.load(global);
                    loaded.add(training);
                } else {
                    LOG.warn("{} no global {} tensors; keeping the local weights", where(round), training.modality());
                }
            }
        } catch (IllegalArgumentException e) {
            loaded.forEach(training -> training.load(previous));
            throw new IllegalArgumentException("site " + site + ": " + e.getMessage(), e);
        }
    }

    private String where(int round) {
        return round == NO_ROUND ? "[site " + site + "]" : "[site " + site + " round " + round + "]";
    }

    private static String format(Map<String, Double> metrics, String name, Modality modality) {
        Double value = metrics.get(name + "." + modality.tag());
        return value == null ? "n/a" : String.format(Locale.ROOT, "%.4f", value);
    }

    @Override
    public void close() {
        modalities.values().forEach(ModalityTraining::close);
    }
}
