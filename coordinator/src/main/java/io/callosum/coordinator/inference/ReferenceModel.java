package io.callosum.coordinator.inference;

import io.callosum.coordinator.references.BankSubjects;
import io.callosum.uncertainty.ood.GaussianClassModel;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * What a reference bank modality says about a new input: a class-conditional Gaussian of the subjects' embeddings
 * (what the input means, against what the bank holds) and, when the bank's inputs were seen, a Gaussian of their
 * tokenizer statistics (how the input was acquired: scanner, amplifier, assay). Each score is flagged above the
 * quantile of the reference subjects' own out-of-fold scores; with both, each at 1 − (1 − {@value #QUANTILE}) / 2,
 * so that about 1 − {@value #QUANTILE} of inputs like the bank's are flagged by either.
 *
 * <p>Why two: the pooled embedding is trained to see past acquisition (per-recording normalization, invariance to
 * bias fields), so inputs from unseen equipment land no farther from the bank than others, often nearer (AUROC
 * 0.13–0.34 in the demo), while their tokenizer statistics set them apart (AUROC 1.0 for every modality).
 */
public record ReferenceModel(String bank, GaussianClassModel embeddings, double threshold, double quantile,
                             Optional<Acquisition> acquisition) implements ReferenceScorer {
    public static final double QUANTILE = 0.95;
    public static final int MIN_SUBJECTS = 4;
    private static final double SHRINKAGE = 0.1;
    private static final int FOLDS = 20;

    /** The tokenizer statistics' Gaussian (one class: equipment does not depend on diagnosis) and threshold. */
    public record Acquisition(GaussianClassModel statistics, double threshold) {
    }

    /**
     * Fits a bank modality; unlabelled subjects form one class. Refuses (422, naming the bank) fewer than
     * {@value #MIN_SUBJECTS} subjects and embeddings or statistics the Gaussian cannot take.
     */
    public static ReferenceModel fit(String bank, BankSubjects subjects) {
        if (subjects.size() < MIN_SUBJECTS) {
            throw InferenceException.unprocessable("a reference bank needs at least " + MIN_SUBJECTS + " "
                    + subjects.modality().tag() + " subjects, got " + subjects.size());
        }
        double quantile = subjects.hasTokenStatistics() ? 1 - (1 - QUANTILE) / 2 : QUANTILE;
        int[] labels = subjects.labelled() ? subjects.labels() : new int[subjects.size()];
        Optional<Acquisition> acquisition = Optional.empty();
        if (subjects.hasTokenStatistics()) {
            int[] oneClass = new int[subjects.size()];
            acquisition = Optional.of(new Acquisition(gaussian(bank, subjects.tokenStatistics(), oneClass),
                    threshold(bank, subjects.tokenStatistics(), oneClass, quantile)));
        }
        return new ReferenceModel(bank, gaussian(bank, subjects.vectors(), labels),
                threshold(bank, subjects.vectors(), labels, quantile), quantile, acquisition);
    }

    @Override
    public boolean readsTokenStatistics() {
        return acquisition.isPresent();
    }

    /** Scores one input: its embedding and, when this bank knows its inputs', the input's tokenizer statistics. */
    @Override
    public Uncertainty.OutOfDistribution score(float[] embedding, float[] tokenStatistics) {
        double distance = embeddings.mahalanobis(embedding);
        boolean flagged = distance > threshold;
        Uncertainty.Acquisition seen;
        if (acquisition.isPresent()) {
            double acquired = acquisition.get().statistics().mahalanobis(tokenStatistics);
            boolean unusual = acquired > acquisition.get().threshold();
            flagged |= unusual;
            seen = new Uncertainty.Acquisition(true, acquired, acquisition.get().threshold(), unusual, null);
        } else {
            seen = Uncertainty.Acquisition.unavailable("reference bank '" + bank + "' was registered from"
                    + " precomputed embeddings, so how its subjects' inputs were acquired is unknown; register it"
                    + " from input files to have unseen equipment flagged");
        }
        return new Uncertainty.OutOfDistribution(true, bank, distance, embeddings.energy(embedding), threshold,
                quantile, seen, flagged, null);
    }

    private static GaussianClassModel gaussian(String bank, float[][] rows, int[] labels) {
        try {
            return GaussianClassModel.fit(rows, labels, SHRINKAGE);
        } catch (IllegalArgumentException e) {
            throw InferenceException.unprocessable("reference bank '" + bank + "': " + e.getMessage());
        }
    }

    /**
     * The {@code quantile} of out-of-fold distances: each subject scored by a Gaussian fitted without its fold
     * ({@value #FOLDS} folds, stratified by class), so that the threshold is what new inputs like the bank's score.
     * Distances of the subjects a Gaussian was fitted on are biased low when the dimension nears their number: with
     * such an in-sample threshold, all of 8 new subjects from the bank's own scanner were flagged. Out-of-fold
     * distances are biased the other way, by fitting on fewer subjects than the bank's model: for a 56-subject imaging
     * bank, 5 folds put the acquisition threshold at 135, nearly twice the largest distance (72) of 8 new subjects from
     * its scanner; 20 folds put it at 108. A class of one
     * subject cannot be left out, so such a bank falls back to in-sample distances.
     */
    private static double threshold(String bank, float[][] rows, int[] labels, double quantile) {
        int[] fold = new int[rows.length];
        int[] seen = new int[Arrays.stream(labels).max().orElse(0) + 1];
        for (int i = 0; i < rows.length; i++) {
            fold[i] = seen[labels[i]]++ % FOLDS;
        }
        double[] scores;
        if (Arrays.stream(seen).anyMatch(count -> count < 2)) {
            scores = gaussian(bank, rows, labels).mahalanobis(rows);
        } else {
            scores = new double[rows.length];
            for (int f = 0; f < FOLDS; f++) {
                int current = f;
                int[] fit = IntStream.range(0, rows.length).filter(i -> fold[i] != current).toArray();
                int[] held = IntStream.range(0, rows.length).filter(i -> fold[i] == current).toArray();
                if (held.length == 0) {
                    continue;
                }
                GaussianClassModel model = gaussian(bank, pick(rows, fit), Arrays.stream(fit).map(i -> labels[i])
                        .toArray());
                double[] heldScores = model.mahalanobis(pick(rows, held));
                for (int k = 0; k < held.length; k++) {
                    scores[held[k]] = heldScores[k];
                }
            }
        }
        Arrays.sort(scores);
        return scores[(int) Math.min(scores.length - 1, Math.ceil(quantile * scores.length) - 1)];
    }

    private static float[][] pick(float[][] rows, int[] indices) {
        return Arrays.stream(indices).mapToObj(i -> rows[i]).toArray(float[][]::new);
    }
}
