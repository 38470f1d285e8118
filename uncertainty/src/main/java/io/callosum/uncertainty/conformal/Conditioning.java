package io.callosum.uncertainty.conformal;

/** Whether one conformal threshold serves every class or each class gets its own. */
public enum Conditioning {
    /** One threshold from all calibration subjects: coverage ≥ 1−α on average over subjects. */
    MARGINAL,
    /** Mondrian conformal, one threshold per true class: coverage ≥ 1−α within every class. */
    CLASS_CONDITIONAL
}
