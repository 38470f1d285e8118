package io.callosum.uncertainty.conformal;

import java.util.List;

/**
 * Calibrated conformal threshold(s): a label y enters the prediction set when its score is at most
 * {@link #forLabel(int) forLabel(y)}. +∞ means the label always enters (too few calibration subjects for α).
 */
public sealed interface Threshold {

    double forLabel(int label);

    Conditioning conditioning();

    /** One threshold for every label. */
    record Marginal(double value) implements Threshold {
        public Marginal {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("threshold is NaN");
            }
        }

        @Override
        public double forLabel(int label) {
            return value;
        }

        @Override
        public Conditioning conditioning() {
            return Conditioning.MARGINAL;
        }
    }

    /** One threshold per class, indexed by class. */
    record ClassConditional(List<Double> values) implements Threshold {
        public ClassConditional {
            values = List.copyOf(values);
            if (values.size() < 2) {
                throw new IllegalArgumentException("class-conditional thresholds need at least 2 classes, got "
                        + values.size());
            }
            for (int k = 0; k < values.size(); k++) {
                if (values.get(k).isNaN()) {
                    throw new IllegalArgumentException("threshold of class " + k + " is NaN");
                }
            }
        }

        @Override
        public double forLabel(int label) {
            return values.get(label);
        }

        @Override
        public Conditioning conditioning() {
            return Conditioning.CLASS_CONDITIONAL;
        }
    }
}
