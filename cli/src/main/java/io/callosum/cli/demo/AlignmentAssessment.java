package io.callosum.cli.demo;

import io.callosum.alignment.retrieval.CrossModalRetrieval;
import io.callosum.alignment.retrieval.RetrievalReport;
import io.callosum.alignment.space.AlignmentConfig;
import io.callosum.alignment.space.SharedSpace;
import io.callosum.alignment.space.SubjectEmbeddings;
import io.callosum.cli.demo.report.DemoReport.LevelCoverage;
import io.callosum.cli.demo.report.DemoReport.PairRetrieval;
import io.callosum.cli.demo.report.DemoReport.ReliabilityPoint;
import io.callosum.cli.demo.report.DemoReport.Uncertainty;
import io.callosum.encoders.data.DatasetLoader;
import io.callosum.encoders.data.ModalityDataset;
import io.callosum.encoders.data.SiteCatalog;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.encoders.jepa.JepaConfig;
import io.callosum.encoders.jepa.JepaTrainer;
import io.callosum.encoders.jepa.Objective;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.training.ModelSettings;
import io.callosum.uncertainty.calibration.ReliabilityBin;
import io.callosum.uncertainty.calibration.ReliabilityDiagram;
import io.callosum.uncertainty.calibration.TemperatureScaling;
import io.callosum.uncertainty.conformal.Conditioning;
import io.callosum.uncertainty.conformal.ConformalPredictor;
import io.callosum.uncertainty.conformal.ScoreFunction;
import io.callosum.uncertainty.stats.Probabilities;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Judges the aligned model centrally on subjects no site held (a generated site holding every modality): retrieval
 * between every two modalities in the shared space beside chance, and how far a diagnosis probe on the federated
 * anchor encoder's embeddings can be trusted (calibration before and after temperature scaling, split-conformal
 * coverage over random calibration splits).
 */
final class AlignmentAssessment {
    static final int CALIBRATION_SPLITS = 20;
    static final double LEVEL = 0.9;
    private static final int CURVE_LENGTH = 50;
    private static final int RELIABILITY_BINS = 10;
    private static final double PROBE_FRACTION = 0.4;
    private static final double[] LEVELS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    private static final List<Modality> DATA = List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);
    private static final LinearProbe PROBE = new LinearProbe(1e-3);

    private final ModelSettings model;
    private final AlignmentConfig space;
    private final Modality anchor;
    private final Map<Modality, SubjectEmbeddings> encoded = new EnumMap<>(Modality.class);
    private final Map<Modality, SubjectEmbeddings> projected = new EnumMap<>(Modality.class);
    private int[] anchorDiagnoses;

    private AlignmentAssessment(ModelSettings model, AlignmentConfig space, Modality anchor) {
        this.model = model;
        this.space = space;
        this.anchor = anchor;
    }

    /** Embeds the held-out site's subjects with the aligned model's encoders and heads. */
    static AlignmentAssessment of(Path heldOutSite, TensorSet aligned, ModelSettings model, AlignmentConfig space,
                                  Modality anchor) throws IOException {
        AlignmentAssessment assessment = new AlignmentAssessment(model, space, anchor);
        assessment.embed(SiteCatalog.read(heldOutSite), aligned);
        return assessment;
    }

    private void embed(SiteCatalog catalog, TensorSet aligned) throws IOException {
        try (SharedSpace shared = SharedSpace.of(aligned.select(Set.of(Modality.SHARED)), space)) {
            for (Modality modality : DATA) {
                if (catalog.with(modality).isEmpty() || !aligned.modalities().contains(modality)) {
                    continue;
                }
                ModalityDataset data = DatasetLoader.load(catalog, modality);
                try (JepaTrainer encoder = new JepaTrainer(data, model.encoderConfig(modality),
                        JepaConfig.defaults(Objective.SIGREG).withSeed(model.seed()))) {
                    encoder.load(aligned.select(Set.of(modality)));
                    SubjectEmbeddings embeddings = SubjectEmbeddings.of(data, encoder);
                    encoded.put(modality, embeddings);
                    projected.put(modality, shared.project(embeddings));
                }
                if (modality == anchor) {
                    anchorDiagnoses = data.diagnoses();
                }
            }
        }
        if (!encoded.containsKey(anchor)) {
            throw new IllegalArgumentException("the held-out site has no " + anchor + " subjects to assess on");
        }
    }

    int subjects() {
        return encoded.get(anchor).size();
    }

    /** Every two modalities, the earlier in imaging, EEG, omics order querying the later's bank. */
    List<PairRetrieval> retrieval() {
        List<Modality> held = List.copyOf(projected.keySet());
        List<PairRetrieval> pairs = new ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            for (int j = i + 1; j < held.size(); j++) {
                Modality query = held.get(i);
                Modality bank = held.get(j);
                RetrievalReport report = CrossModalRetrieval.evaluate(projected.get(query), projected.get(bank));
                List<Double> curve = IntStream.rangeClosed(1, Math.min(CURVE_LENGTH, report.bankSize()))
                        .mapToObj(report::recallAt).toList();
                pairs.add(new PairRetrieval(query.tag(), bank.tag(), query == anchor || bank == anchor,
                        report.bankSize(), report.recallAt(1), report.recallAt(10), report.chanceAt(1),
                        report.chanceAt(10), curve));
            }
        }
        return pairs;
    }

    /**
     * A linear diagnosis probe fitted on a stratified share of the subjects' anchor encoder embeddings; the other
     * subjects are split at random, {@value #CALIBRATION_SPLITS} times, into halves that calibrate (temperature,
     * conformal threshold) and test.
     */
    Uncertainty uncertainty(long seed) {
        float[][] features = encoded.get(anchor).vectors();
        ProbeSplit probeSplit = ProbeSplit.stratified(anchorDiagnoses, 1 - PROBE_FRACTION, seed);
        double[][] logits = PROBE.logits(probeSplit, features, anchorDiagnoses);
        int[] labels = Arrays.stream(probeSplit.test()).map(i -> anchorDiagnoses[i]).toArray();
        int calibrationSize = labels.length / 2;
        Random random = new Random(seed);
        double temperatureSum = 0;
        double eceBefore = 0;
        double eceAfter = 0;
        List<Double> splitCoverage = new ArrayList<>();
        double[][] levelSums = new double[LEVELS.length][2];
        List<ReliabilityPoint> firstBefore = null;
        List<ReliabilityPoint> firstAfter = null;
        for (int split = 0; split < CALIBRATION_SPLITS; split++) {
            int[] order = shuffled(labels.length, random);
            int[] calibration = Arrays.copyOf(order, calibrationSize);
            int[] test = Arrays.copyOfRange(order, calibrationSize, order.length);
            TemperatureScaling scaling = TemperatureScaling.fit(rows(logits, calibration), pick(labels, calibration));
            temperatureSum += scaling.temperature();
            ReliabilityDiagram before = ReliabilityDiagram.of(Probabilities.softmax(rows(logits, test), 1),
                    pick(labels, test), RELIABILITY_BINS);
            ReliabilityDiagram after = ReliabilityDiagram.of(scaling.calibrate(rows(logits, test)),
                    pick(labels, test), RELIABILITY_BINS);
            eceBefore += before.expectedCalibrationError();
            eceAfter += after.expectedCalibrationError();
            if (split == 0) {
                firstBefore = points(before);
                firstAfter = points(after);
            }
            double[][] calibrated = scaling.calibrate(rows(logits, calibration));
            double[][] tested = scaling.calibrate(rows(logits, test));
            for (int l = 0; l < LEVELS.length; l++) {
                var report = ConformalPredictor.calibrate(ScoreFunction.APS, Conditioning.MARGINAL, calibrated,
                        pick(labels, calibration), 1 - LEVELS[l], null).evaluate(tested, pick(labels, test));
                levelSums[l][0] += report.coverage();
                levelSums[l][1] += report.averageSetSize();
                if (LEVELS[l] == LEVEL) {
                    splitCoverage.add(report.coverage());
                }
            }
        }
        List<LevelCoverage> byLevel = new ArrayList<>();
        for (int l = 0; l < LEVELS.length; l++) {
            byLevel.add(new LevelCoverage(LEVELS[l], levelSums[l][0] / CALIBRATION_SPLITS,
                    levelSums[l][1] / CALIBRATION_SPLITS));
        }
        double accuracy = (double) IntStream.range(0, labels.length)
                .filter(i -> Probabilities.argmax(logits[i]) == labels[i]).count() / labels.length;
        return new Uncertainty(anchor.tag(), probeSplit.train().length, calibrationSize,
                labels.length - calibrationSize, accuracy, temperatureSum / CALIBRATION_SPLITS,
                eceBefore / CALIBRATION_SPLITS, eceAfter / CALIBRATION_SPLITS, firstBefore, firstAfter, LEVEL,
                splitCoverage, byLevel);
    }

    private static List<ReliabilityPoint> points(ReliabilityDiagram diagram) {
        List<ReliabilityPoint> points = new ArrayList<>();
        for (ReliabilityBin bin : diagram.bins()) {
            if (bin.count() > 0) {
                points.add(new ReliabilityPoint(bin.confidence(), bin.accuracy(), bin.count()));
            }
        }
        return points;
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = IntStream.range(0, n).toArray();
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static double[][] rows(double[][] values, int[] rows) {
        return Arrays.stream(rows).mapToObj(i -> values[i]).toArray(double[][]::new);
    }

    private static int[] pick(int[] values, int[] rows) {
        return Arrays.stream(rows).map(i -> values[i]).toArray();
    }
}
