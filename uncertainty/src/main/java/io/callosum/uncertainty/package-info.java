/**
 * How far to trust an embedding or a prediction: split and class-conditional conformal prediction,
 * ensembles and MC dropout, energy-based out-of-distribution scores, calibration metrics.
 *
 * <p>See DESIGN.md; the issues that fill this module build on the foundation.
 */
package io.callosum.uncertainty;
