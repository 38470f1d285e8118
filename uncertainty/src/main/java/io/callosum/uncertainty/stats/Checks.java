package io.callosum.uncertainty.stats;

import java.util.function.IntUnaryOperator;

/**
 * Argument checks shared by the uncertainty API. Each names the argument and the offending row or value, so a
 * caller feeding a probe head's output learns which subject or field was wrong.
 */
public final class Checks {
    /** How far a row of probabilities may stray from summing to 1 (float32 softmax outputs stay well inside). */
    public static final double PROBABILITY_SUM_TOLERANCE = 1e-5;

    private Checks() {
    }

    /** Refuses a miscoverage level outside the open interval (0, 1). */
    public static void alpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must lie in (0, 1), got " + alpha);
        }
    }

    /** Refuses a non-positive or non-finite temperature. */
    public static void temperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
    }

    /**
     * Checks a non-empty rectangular matrix of finite values and returns its width.
     *
     * @param what names the argument in messages, e.g. "calibration logits"
     */
    public static int finiteMatrix(double[][] rows, String what) {
        return finiteWidth(rows, what, i -> rows[i] == null ? 0 : rows[i].length, (i, j) -> rows[i][j]);
    }

    /** Checks a non-empty rectangular matrix of finite values and returns its width. */
    public static int finiteMatrix(float[][] rows, String what) {
        return finiteWidth(rows, what, i -> rows[i] == null ? 0 : rows[i].length, (i, j) -> rows[i][j]);
    }

    /** One entry of a matrix of either precision, widened to double (NaN and infinities survive widening). */
    private interface Entry {
        double at(int row, int column);
    }

    private static int finiteWidth(Object[] rows, String what, IntUnaryOperator length, Entry entry) {
        if (rows == null || rows.length == 0) {
            throw new IllegalArgumentException(what + " are empty");
        }
        int width = -1;
        for (int i = 0; i < rows.length; i++) {
            int rowLength = length.applyAsInt(i);
            if (rowLength == 0) {
                throw new IllegalArgumentException(what + " row " + i + " is empty");
            }
            if (width < 0) {
                width = rowLength;
            } else if (rowLength != width) {
                throw new IllegalArgumentException(
                        what + " row " + i + " has " + rowLength + " entries, row 0 has " + width);
            }
            for (int j = 0; j < rowLength; j++) {
                double value = entry.at(i, j);
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException(what + " row " + i + " entry " + j + " is " + value);
                }
            }
        }
        return width;
    }

    /**
     * Checks rows of class probabilities (at least two classes, each entry in [0, 1], each row summing to 1) and
     * returns the number of classes.
     */
    public static int probabilities(double[][] rows, String what) {
        int classes = finiteMatrix(rows, what);
        if (classes < 2) {
            throw new IllegalArgumentException(what + " have " + classes + " class, at least 2 are needed");
        }
        for (int i = 0; i < rows.length; i++) {
            probabilityRow(rows[i], what + " row " + i);
        }
        return classes;
    }

    /** Checks one row of class probabilities; {@code what} names the row in messages. */
    public static void probabilityRow(double[] row, String what) {
        double sum = 0;
        for (int j = 0; j < row.length; j++) {
            double p = row[j];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException(what + " entry " + j + " is " + p + ", not a probability in [0, 1]");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > PROBABILITY_SUM_TOLERANCE) {
            throw new IllegalArgumentException(
                    what + " sums to " + sum + ", expected 1 (within " + PROBABILITY_SUM_TOLERANCE + ")");
        }
    }

    /** Checks that there is one label per row and every label names one of {@code classes} classes. */
    public static void labels(int[] labels, int rows, int classes, String what) {
        if (labels == null) {
            throw new IllegalArgumentException(what + " are missing");
        }
        sameLength(labels.length, rows, what, "rows");
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(
                        what + " " + i + " is " + labels[i] + ", outside the " + classes + " classes [0, " + classes + ")");
            }
        }
    }

    /** Refuses two collections that must pair up one to one but have different sizes. */
    public static void sameLength(int first, int second, String firstWhat, String secondWhat) {
        if (first != second) {
            throw new IllegalArgumentException(
                    "mismatched lengths: " + first + " " + firstWhat + " but " + second + " " + secondWhat);
        }
    }
}
