/**
 * How far to trust an embedding or a prediction. Pure Java math on plain arrays, so the site agent and the
 * inference API feed it DJL outputs ({@code NDArray.toFloatArray()} / probe-head probabilities) without a model here.
 *
 * <ul>
 *   <li>{@code conformal}: split and class-conditional (Mondrian) conformal prediction sets with the LAC and APS
 *       scores, empirical coverage and set size.</li>
 *   <li>{@code federated}: conformal calibration from per-site score histograms on a public grid, never individual
 *       scores, with the coverage guarantee that pooling keeps.</li>
 *   <li>{@code calibration}: reliability diagrams, expected calibration error, temperature scaling.</li>
 *   <li>{@code ood}: energy score of logits, Mahalanobis and Gaussian-energy scores of embeddings, AUROC.</li>
 *   <li>{@code variance}: ensemble and MC-dropout spread of embeddings.</li>
 *   <li>{@code stats}: input checks, log-sum-exp and softmax, equal-width bins shared by the others.</li>
 * </ul>
 */
package io.callosum.uncertainty;
