/**
 * Epistemic spread of embeddings: the same input embedded K times, by K ensemble members (recent global model
 * versions, several projection heads) or by K stochastic forward passes with dropout active (MC dropout, Gal &amp;
 * Ghahramani 2016), summarized per dimension and as the trace of the covariance.
 *
 * <p>Everything here takes plain {@code float[]} / {@code float[][]} so the site agent and the inference API can feed
 * DJL outputs ({@code NDArray.toFloatArray()}) without this package depending on a model. For MC dropout with DJL,
 * the supplier runs {@code block.forward(parameterStore, input, true)} (training mode, so dropout is active) inside
 * its own {@code NDManager} scope; blocks with batch normalization must not be sampled that way, since training mode
 * also switches batch norm to batch statistics.
 */
package io.callosum.uncertainty.variance;
