/**
 * Conformal calibration when the calibration subjects stay at their sites.
 *
 * <p><b>What a site shares.</b> Each site scores its own held-out subjects and shares only a
 * {@link io.callosum.uncertainty.federated.ScoreHistogram}: counts of its nonconformity scores on a public grid of B
 * equal-width bins over [0, 1] (per true class for class-conditional calibration), never a subject's score. Counts
 * are integers and add up, so they can travel through secure aggregation and the coordinator then sees only the sum.
 * A bin holding a single subject still says that one subject's score lies in that bin; choose B and the minimum site
 * size with that in mind.
 *
 * <p><b>What the coordinator computes.</b> {@link io.callosum.uncertainty.federated.FederatedCalibration#pool} sums
 * the histograms; {@link io.callosum.uncertainty.federated.ScoreHistogram#threshold} takes the conservative quantile:
 * with n pooled scores and k = ⌈(n+1)(1−α)⌉, the upper edge of the bin that holds the k-th smallest score (+∞ when
 * k &gt; n). The threshold goes back to the sites and the inference API as a
 * {@link io.callosum.uncertainty.conformal.Threshold}.
 *
 * <p><b>The guarantee kept.</b> Let q̂ be the exact conformal quantile of the pooled scores (what one site holding
 * all calibration subjects would compute) and q̄ the histogram threshold. The k-th score lies in the chosen bin, so
 * q̄ ≥ q̂, every prediction set at q̄ contains the set at q̂, and coverage stays ≥ 1−α whenever the pooled calibration
 * subjects and the test subject are exchangeable. Rounding scores up to bin edges only makes sets larger: the
 * over-coverage beyond the exact method is at most the probability that a test score falls in that one bin
 * (q̂, q̄] — about 1/B for scores spread evenly, more where scores pile up. Class-conditional histograms keep the
 * same statement within each class.
 *
 * <p><b>What breaks under site shift.</b> Exchangeability of the pooled subjects means the test subject is drawn
 * from the mixture of the sites in proportion to their calibration sizes. A site whose subjects differ (another
 * scanner, another case mix) can be under-covered by the pooled threshold while others are over-covered; the
 * guarantee is for the mixture, not for each site. A site that needs its own guarantee calibrates on its own
 * histogram ({@link io.callosum.uncertainty.federated.FederatedCalibration#perSite}), at the price of the wider
 * sets that its smaller n gives. A test subject from a site with no calibration data (an unseen scanner) is covered
 * by neither; flag it with the out-of-distribution scores of {@code io.callosum.uncertainty.ood}.
 */
package io.callosum.uncertainty.federated;
