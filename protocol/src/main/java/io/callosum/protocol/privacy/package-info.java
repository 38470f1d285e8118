/**
 * Distributed differential privacy for federated rounds under secure aggregation: DP-FedAvg (McMahan et al. 2018,
 * "Learning differentially private recurrent language models") with the Gaussian noise split across the sites.
 *
 * <h2>What a site does each round</h2>
 * It clips its update to L2 norm {@code C} and adds {@code N(0, (z·C)²/n)} per coordinate
 * ({@link io.callosum.protocol.privacy.GaussianMechanism}), charges the release to its
 * {@link io.callosum.protocol.privacy.PrivacyLedger} at {@code z_eff = z·sqrt(t/n)}
 * ({@link io.callosum.protocol.privacy.PrivacySettings#effectiveNoiseMultiplier}), and only then quantizes and masks
 * it. {@code n} is the number of selected sites and {@code t} the secure-aggregation threshold, the fewest survivors
 * whose sum the coordinator can unmask.
 *
 * <h2>The guarantee</h2>
 * Site-level (ε, δ)-differential privacy of everything the site's updates contribute to — the unmasked aggregates
 * of every round and attempt it charged, and anything computed from them (global models, metrics) — with respect
 * to replacing that site's whole update in a round by nothing (adding or removing one site's whole update: the
 * "zero-out" relation, under which the sum's sensitivity is {@code C}). ε is the Rényi-DP composition over all
 * charged releases ({@link io.callosum.protocol.privacy.RdpAccountant}) at the site's δ, and the ledger refuses any
 * release that would take it over the site's budget. It holds provided
 * <ul>
 *   <li>secure aggregation releases only sums of at least {@code t} sites' masked inputs, and at least {@code t}
 *       of the summed sites are honest, i.e. added their noise share and do not reveal it (the noise of dishonest
 *       or colluding sites is not counted on);</li>
 *   <li>{@code n} and {@code t} are those of the round the input is masked for, and the quantizer's bound is at
 *       least {@link io.callosum.protocol.privacy.GaussianMechanism#coordinateBound}, so no noisy value is
 *       saturated;</li>
 *   <li>every noisy input that leaves the site was charged first, each attempt of a round separately.</li>
 * </ul>
 *
 * <h2>What it does not cover</h2>
 * <ul>
 *   <li>Record-level accounting: a patient's records are protected only as part of their site's whole data set;
 *       no separate per-record bound (DP-SGD) is computed.</li>
 *   <li>The coordinator or other sites seeing anything besides the aggregates: that is secure aggregation's
 *       guarantee, not this one; a site's noise share alone is far too small to protect its update.</li>
 *   <li>Floating-point artefacts of the sampler (Mironov 2012) and of fixed-point quantization: the analysis is of
 *       real-valued Gaussians summed exactly; see {@code GaussianNoise}.</li>
 *   <li>Side channels (timing, message sizes, whether a site answered at all) and anything a site reports outside
 *       the aggregate, such as its own loss or its update's norm before clipping.</li>
 *   <li>A ledger that is deleted or replaced by an older copy: it fails loudly when corrupt, but cannot tell that
 *       it is missing.</li>
 * </ul>
 */
package io.callosum.protocol.privacy;
