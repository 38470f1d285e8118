/**
 * Out-of-distribution scores, all oriented so that a larger score means "less like the training data", and
 * AUROC to judge how well a score separates in- from out-of-distribution subjects.
 *
 * <ul>
 *   <li>{@link io.callosum.uncertainty.ood.EnergyScore}: E(x) = −T · logsumexp(f(x) / T) of a classifier's logits
 *       (Liu, Wang, Owens &amp; Li 2020).</li>
 *   <li>{@link io.callosum.uncertainty.ood.GaussianClassModel}: class-conditional Gaussians with one shared,
 *       shrinkage-regularized covariance fitted on in-distribution embeddings; the minimum squared Mahalanobis
 *       distance to a class mean (Lee et al. 2018) and the Gaussian energy −logsumexp_k(−½ d_k²), the energy score
 *       of the generative classifier's logits. These need no labels at test time and see shifts that a linear probe's
 *       logits can be blind to (a scanner offset orthogonal to every class direction).</li>
 *   <li>{@link io.callosum.uncertainty.ood.Auroc}: rank-based (Mann–Whitney) area under the ROC curve, ties counted
 *       as one half.</li>
 * </ul>
 */
package io.callosum.uncertainty.ood;
