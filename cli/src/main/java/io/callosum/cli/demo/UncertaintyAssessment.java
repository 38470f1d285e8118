package io.callosum.cli.demo;

import io.callosum.cli.demo.report.DemoReport.LevelCoverage;
import io.callosum.cli.demo.report.DemoReport.OodDetection;
import io.callosum.cli.demo.report.DemoReport.ReliabilityPoint;
import io.callosum.cli.demo.report.DemoReport.Uncertainty;
import io.callosum.encoders.diagnostics.LinearProbe;
import io.callosum.encoders.diagnostics.ProbeSplit;
import io.callosum.protocol.tensor.Modality;
import io.callosum.uncertainty.calibration.ReliabilityBin;
import io.callosum.uncertainty.calibration.ReliabilityDiagram;
import io.callosum.uncertainty.calibration.TemperatureScaling;
import io.callosum.uncertainty.conformal.Conditioning;
import io.callosum.uncertainty.conformal.ConformalPredictor;
import io.callosum.uncertainty.conformal.ScoreFunction;
import io.callosum.uncertainty.ood.Auroc;
import io.callosum.uncertainty.ood.GaussianClassModel;
import io.callosum.uncertainty.stats.Probabilities;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * How far the aligned model's encoders can be trusted on subjects no site held, judged centrally:
 * <ul>
 *   <li>a linear diagnosis probe on one modality's embeddings of a calibration pool (a generated site holding only
 *       that modality, so it can be large: coverage of one split moves by about √(0.09 (1/n_cal + 1/n_test))),
 *       with calibration before and after temperature scaling and randomized-APS conformal sets over
 *       {@value #CALIBRATION_SPLITS} random calibration/test splits;</li>
 *   <li>out-of-distribution detection per modality: a class-conditional Gaussian fitted on the training sites'
 *       embeddings scores held-out subjects from the usual equipment and from a site with unseen equipment, by
 *       Mahalanobis distance and Gaussian energy, summarized as AUROC; and one Gaussian fitted on the tokenizer's
 *       statistics (mean and spread of the patch embeddings before attention) by Mahalanobis distance, since the
 *       pooled embedding is trained to be invariant to much of what changes with equipment.</li>
 * </ul>
 */
final class UncertaintyAssessment {
    static final int CALIBRATION_SPLITS = 20;
    static final double LEVEL = 0.9;
    /** The probe needs a few hundred subjects; the rest of the pool calibrates and tests. */
    static final int PROBE_SUBJECTS = 400;
    private static final double MAX_PROBE_FRACTION = 0.4;
    private static final int RELIABILITY_BINS = 10;
    private static final double SHRINKAGE = 0.01;
    private static final double[] LEVELS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
    private static final LinearProbe PROBE = new LinearProbe(1e-3);

    private final AlignedEncoders encoders;
    private final Modality modality;

    /** {@code modality}: the one whose diagnosis probe is calibrated (the demo's anchor). */
    UncertaintyAssessment(AlignedEncoders encoders, Modality modality) {
        this.encoders = encoders;
        this.modality = modality;
    }

    /**
     * The whole assessment: the probe on {@code calibrationPool}'s subjects, and detection of {@code shifted}'s
     * subjects against {@code inDistribution}'s for every modality both hold, with {@code reference} (the training
     * sites) as what the encoders were meant for.
     */
    Uncertainty assess(Path calibrationPool, List<Path> reference, Path inDistribution, Path shifted, long seed)
            throws IOException {
        AlignedEncoders.Embedded pool = encoders.embed(calibrationPool, modality).orElseThrow(() ->
                new IllegalArgumentException("the calibration pool " + calibrationPool + " holds no " + modality
                        + " subjects"));
        List<OodDetection> detection = new ArrayList<>();
        for (Modality data : AlignmentAssessment.DATA) {
            detect(data, reference, inDistribution, shifted).ifPresent(detection::add);
        }
        return calibrate(pool.embeddings().vectors(), pool.diagnoses(), seed, detection);
    }

    /** AUROC of telling {@code shifted}'s subjects from {@code inDistribution}'s; empty where a site lacks it. */
    Optional<OodDetection> detect(Modality data, List<Path> reference, Path inDistribution, Path shifted)
            throws IOException {
        Optional<AlignedEncoders.Embedded> fit = encoders.embedAll(reference, data);
        Optional<AlignedEncoders.Embedded> normal = encoders.embed(inDistribution, data);
        Optional<AlignedEncoders.Embedded> unseen = encoders.embed(shifted, data);
        if (fit.isEmpty() || normal.isEmpty() || unseen.isEmpty()) {
            return Optional.empty();
        }
        GaussianClassModel gaussian = GaussianClassModel.fit(fit.get().embeddings().vectors(), fit.get().diagnoses(),
                SHRINKAGE);
        float[][] in = normal.get().embeddings().vectors();
        float[][] out = unseen.get().embeddings().vectors();
        GaussianClassModel acquisition = GaussianClassModel.fit(fit.get().tokenStatistics(),
                new int[fit.get().diagnoses().length], SHRINKAGE);
        return Optional.of(new OodDetection(data.tag(), fit.get().diagnoses().length, in.length, out.length,
                Auroc.of(gaussian.mahalanobis(in), gaussian.mahalanobis(out)),
                Auroc.of(gaussian.energy(in), gaussian.energy(out)),
                Auroc.of(acquisition.mahalanobis(normal.get().tokenStatistics()),
                        acquisition.mahalanobis(unseen.get().tokenStatistics()))));
    }

    /**
     * A linear diagnosis probe fitted on a stratified share of the pool (at most {@value #PROBE_SUBJECTS}
     * subjects); the other subjects are split at random, {@value #CALIBRATION_SPLITS} times, into halves that
     * calibrate (temperature, conformal threshold) and test.
     */
    Uncertainty calibrate(float[][] features, int[] diagnoses, long seed, List<OodDetection> detection) {
        double probeFraction = Math.min(MAX_PROBE_FRACTION, (double) PROBE_SUBJECTS / diagnoses.length);
        ProbeSplit probeSplit = ProbeSplit.stratified(diagnoses, 1 - probeFraction, seed);
        double[][] logits = PROBE.logits(probeSplit, features, diagnoses);
        int[] labels = Arrays.stream(probeSplit.test()).map(i -> diagnoses[i]).toArray();
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
                // Randomized APS: ties of the discrete score would otherwise make the sets cover more than asked.
                var report = ConformalPredictor.calibrate(ScoreFunction.APS_RANDOMIZED, Conditioning.MARGINAL,
                        calibrated, pick(labels, calibration), 1 - LEVELS[l], new Random(random.nextLong()))
                        .evaluate(tested, pick(labels, test));
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
        return new Uncertainty(modality.tag(), probeSplit.train().length, calibrationSize,
                labels.length - calibrationSize, accuracy, temperatureSum / CALIBRATION_SPLITS,
                eceBefore / CALIBRATION_SPLITS, eceAfter / CALIBRATION_SPLITS, firstBefore, firstAfter, LEVEL,
                splitCoverage, byLevel, detection);
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
