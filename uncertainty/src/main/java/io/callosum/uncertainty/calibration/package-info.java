/**
 * Whether a classifier's confidence can be taken at face value: top-label reliability diagrams and expected
 * calibration error over equal-width confidence bins ({@link io.callosum.uncertainty.calibration.ReliabilityDiagram}),
 * and temperature scaling (Guo et al. 2017), one scalar T fitted by minimizing the negative log-likelihood of
 * held-out logits ({@link io.callosum.uncertainty.calibration.TemperatureScaling}).
 * {@link io.callosum.uncertainty.calibration.CalibrationReport} fits T on calibration subjects and reports ECE
 * before and after on evaluation subjects, for the demo report. Temperature scaling keeps every subject's top label,
 * so accuracy does not change, only confidence.
 */
package io.callosum.uncertainty.calibration;
