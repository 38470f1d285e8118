/**
 * Split conformal prediction for classifiers whose output is a row of class probabilities (the probe heads on
 * frozen embeddings).
 *
 * <p>Calibration: a nonconformity {@link io.callosum.uncertainty.conformal.ScoreFunction score} s(x, y) is computed
 * for every held-out calibration subject with its true label, and the threshold q̂ is the
 * ⌈(n+1)(1−α)⌉-th smallest of the n scores ({@link io.callosum.uncertainty.conformal.ConformalQuantile}).
 * Prediction: the set {y : s(x, y) ≤ q̂} ({@link io.callosum.uncertainty.conformal.PredictionSet}). If calibration
 * and test subjects are exchangeable, the set holds the true label with probability at least 1−α, and (for scores
 * without ties) at most 1−α + 1/(n+1). {@link io.callosum.uncertainty.conformal.Conditioning#CLASS_CONDITIONAL}
 * (Mondrian) calibrates one threshold per class from that class's subjects, so the guarantee holds within each
 * class, not only on average over classes.
 *
 * <p>Scores: LAC, 1 − p_y (smallest sets on average); APS (Romano, Sesia &amp; Candès 2020), the probability mass of
 * the classes ranked at or above y, which adapts the set size to how uncertain the model is about x; and randomized
 * APS, which counts only a uniform fraction u of p_y itself and so gives smaller sets with exact coverage.
 *
 * <p>{@link io.callosum.uncertainty.conformal.ConformalPredictor#evaluate} returns empirical coverage and average set
 * size ({@link io.callosum.uncertainty.conformal.CoverageReport}), overall and per class.
 */
package io.callosum.uncertainty.conformal;
