package io.callosum.cli.demo;

import io.callosum.cli.demo.report.DemoReport.ModalityComparison;
import io.callosum.encoders.data.InputGeometry;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.encoders.jepa.BatchSampling;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.training.LocalTraining;
import io.callosum.site.training.ModelSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;

/**
 * Judges the federated encoders against what the sites could have had otherwise: centralized pretraining on the
 * union of the same data (the subjects the sites trained on, never their held-out ones) with the same number of
 * steps (and, on the way there, after as many steps as one site took: centralized training as long as the
 * federation ran), and local-only pretraining at the weakest site (fewest training subjects; of equally small sites, the one
 * that does worst alone) on its training subjects with the steps that site spent in the federation. All are scored
 * alike on subjects no site held: a linear probe on frozen embeddings of a freshly generated pool, trained on 70% and
 * tested on the rest, averaged over {@value #SPLITS} stratified splits. On the sites' own 160 subjects one split
 * tested 48, and the omics figure moved by 10 points between federation settings.
 */
final class ProbeComparison {
    private static final LinearProbe PROBE = new LinearProbe(1e-3);
    static final int SPLITS = 10;

    private final Map<String, Path> sites;
    private final ModelSettings model;
    private final JepaConfig training;
    private final Map<Modality, Float> modalityLambdas;

    private final boolean annealed;

    /**
     * {@code annealed}: each baseline's learning rate falls along a cosine to 0 over its own steps, as the
     * federation's does over its rounds, so that every model compared is a settled one. {@code sampling}: how the
     * baselines' batches draw subjects, as the federation's sites draw theirs, so that the arms differ only in where
     * the data lies. {@code modalityLambdas}: the modalities whose encoders the federation trained with their own λ.
     */
    ProbeComparison(Map<String, Path> sites, ModelSettings model, int batchSize, float learningRate, float lambda,
                    Map<Modality, Float> modalityLambdas, boolean annealed, BatchSampling sampling) {
        this.sites = sites;
        this.modalityLambdas = Map.copyOf(modalityLambdas);
        this.annealed = annealed;
        this.model = model;
        JepaConfig defaults = JepaConfig.defaults(Objective.SIGREG);
        this.training = new JepaConfig(Objective.SIGREG, lambda, batchSize, learningRate, defaults.slices(),
                defaults.emaMomentum(), model.seed()).withSampling(sampling);
    }

    /**
     * {@code stepsPerSite}: the local steps one site spent on this modality over the whole federation;
     * {@code progressBar} gets the total number of baseline steps and returns what hears each one done.
     */
    ModalityComparison compare(Modality modality, TensorSet federated, int stepsPerSite, ModalityDataset evaluation,
                               IntFunction<IntConsumer> progressBar) throws IOException {
        if (!evaluation.labelled() || evaluation.modality() != modality) {
            throw new IllegalArgumentException("the probe pool must hold labelled " + modality + " subjects");
        }
        List<SiteData> holders = new ArrayList<>();
        for (Map.Entry<String, Path> site : sites.entrySet()) {
            if (!SiteCatalog.read(site.getValue()).with(modality).isEmpty()) {
                holders.add(new SiteData(site.getKey(),
                        LocalTraining.trainingSubjects(site.getValue(), modality, SiteAgentSettings.DEFAULT_SEED)));
            }
        }
        ModalityDataset trainedOn = union(modality, holders);
        List<ProbeSplit> splits = new ArrayList<>();
        for (int k = 0; k < SPLITS; k++) {
            splits.add(ProbeSplit.stratified(evaluation.diagnoses(), 0.3, model.seed() + k));
        }
        int centralizedSteps = stepsPerSite * holders.size();
        // The weakest site is the smallest; when several are as small, the one whose own pretraining does worst.
        int fewest = holders.stream().mapToInt(h -> h.train().size()).min().orElseThrow();
        List<SiteData> smallest = holders.stream().filter(h -> h.train().size() == fewest).toList();
        IntConsumer progress = progressBar.apply(centralizedSteps + stepsPerSite * smallest.size());

        double randomInit;
        double federatedAccuracy;
        try (JepaTrainer trainer = trainer(trainedOn, 0)) {
            randomInit = accuracy(trainer, evaluation, splits);
            trainer.load(federated);
            federatedAccuracy = accuracy(trainer, evaluation, splits);
        }
        double centralized;
        double centralizedAtFederationLength;
        try (JepaTrainer trainer = trainer(trainedOn, centralizedSteps)) {
            train(trainer, stepsPerSite, progress, 0);
            centralizedAtFederationLength = accuracy(trainer, evaluation, splits);
            train(trainer, centralizedSteps - stepsPerSite, progress, stepsPerSite);
            centralized = accuracy(trainer, evaluation, splits);
        }
        String weakestSite = null;
        double localOnly = Double.POSITIVE_INFINITY;
        int done = centralizedSteps;
        for (SiteData site : smallest) {
            try (JepaTrainer trainer = trainer(site.train(), stepsPerSite)) {
                train(trainer, stepsPerSite, progress, done);
                done += stepsPerSite;
                double accuracy = accuracy(trainer, evaluation, splits);
                if (accuracy < localOnly) {
                    localOnly = accuracy;
                    weakestSite = site.site();
                }
            }
        }
        return new ModalityComparison(modality.tag(), federatedAccuracy, centralized, localOnly, weakestSite,
                randomInit, centralizedSteps, centralizedAtFederationLength, stepsPerSite, evaluation.size());
    }

    /** A trainer for a run of {@code steps} steps (0: one that is only evaluated). */
    private JepaTrainer trainer(ModalityDataset data, int steps) {
        JepaConfig config = training.withLambda(modalityLambdas.getOrDefault(data.modality(), training.lambda()));
        return new JepaTrainer(data, model.encoderConfig(data.modality()),
                annealed && steps > 0 ? config.withCosineDecay(steps) : config);
    }

    private static void train(JepaTrainer trainer, int steps, IntConsumer progress, int done) {
        for (int i = 1; i <= steps; i++) {
            trainer.step();
            progress.accept(done + i);
        }
    }

    private static double accuracy(JepaTrainer trainer, ModalityDataset evaluation, List<ProbeSplit> splits) {
        float[][] embeddings = trainer.embed(evaluation.inputs());
        return PROBE.meanAccuracy(splits, embeddings, evaluation.diagnoses());
    }

    private static ModalityDataset union(Modality modality, List<SiteData> holders) {
        List<String> subjects = new ArrayList<>();
        List<float[]> inputs = new ArrayList<>();
        List<Integer> diagnoses = new ArrayList<>();
        SiteData first = holders.get(0);
        InputGeometry geometry = first.train().geometry();
        for (SiteData holder : holders) {
            ModalityDataset data = holder.train();
            if (!data.geometry().equals(geometry)) {
                throw new IllegalArgumentException(holder.site() + "'s " + modality + " input " + data.geometry()
                        + " differs from " + first.site() + "'s " + geometry);
            }
            subjects.addAll(data.subjects());
            inputs.addAll(List.of(data.inputs()));
            for (int diagnosis : data.diagnoses()) {
                diagnoses.add(diagnosis);
            }
        }
        return new ModalityDataset(modality, geometry, subjects, inputs.toArray(float[][]::new),
                diagnoses.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The subjects holding the modality that a site trained on in the federation. */
    private record SiteData(String site, ModalityDataset train) {
    }
}
