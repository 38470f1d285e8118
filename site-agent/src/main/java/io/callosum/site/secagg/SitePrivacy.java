package io.callosum.site.secagg;

import io.callosum.protocol.federation.FitPlan;
import io.callosum.protocol.federation.ScalarMaps;
import io.callosum.protocol.federation.SecureFitEntries;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.privacy.GaussianMechanism;
import io.callosum.protocol.privacy.PrivacyBudgetExceededException;
import io.callosum.protocol.privacy.PrivacyLedger;
import io.callosum.protocol.privacy.PrivacySettings;
import io.callosum.protocol.privacy.PrivacySpend;
import io.callosum.protocol.secagg.RoundConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A site's own differential-privacy budget and the ledger that holds it to it. A secure round that asks for the
 * Gaussian mechanism is charged here before the site trains for it, at the noise the sum carries at worst (only the
 * threshold of sites surviving); a round that would take the site over its budget is refused, and nothing is
 * recorded for it. Every attempt is charged, since each releases a fresh noisy sum.
 */
public final class SitePrivacy implements AutoCloseable {
    private static final String WHERE = "fit_ins config";

    private final String site;
    private final PrivacyBudget budget;
    private PrivacyLedger ledger;

    public SitePrivacy(String site, PrivacyBudget budget) {
        this.site = site;
        this.budget = budget;
    }

    /** What a round releases from this site: the update unchanged, or clipped and noised, with the privacy spent. */
    public record Release(UnaryOperator<float[]> privatizer, Map<String, Scalar> metrics) {
        static Release plain() {
            return new Release(UnaryOperator.identity(), Map.of());
        }
    }

    /** Admits a secure round: charges it if it asks for differential privacy, or refuses it over the budget. */
    synchronized Release admit(Map<String, Scalar> config, RoundConfig round) throws PrivacyBudgetExceededException {
        Optional<Double> noise = ScalarMaps.optionalNumber(config, SecureFitEntries.DP_NOISE_MULTIPLIER, WHERE);
        if (noise.isEmpty()) {
            return Release.plain();
        }
        PrivacySettings settings = new PrivacySettings(ScalarMaps.number(config, SecureFitEntries.DP_CLIP_NORM, WHERE),
                noise.get(), budget.epsilon(), budget.delta());
        GaussianMechanism mechanism = new GaussianMechanism(settings);
        int sites = round.clients().size();
        if (round.clip() < mechanism.coordinateBound(sites)) {
            throw new IllegalArgumentException(WHERE + ": the round quantizes values up to ±" + round.clip()
                    + ", less than the ±" + mechanism.coordinateBound(sites) + " a clipped and noised update can"
                    + " reach; saturated noise would void the privacy guarantee");
        }
        String federation = ScalarMaps.string(config, SecureFitEntries.FEDERATION, WHERE);
        int roundNumber = ScalarMaps.positiveInt(config, FitPlan.ROUND, WHERE);
        PrivacySpend spend;
        try {
            spend = ledger(settings).charge(federation, roundNumber,
                    ScalarMaps.positiveInt(config, SecureFitEntries.ATTEMPT, WHERE),
                    settings.effectiveNoiseMultiplier(sites, round.threshold()));
        } catch (IOException e) {
            // Nothing is released that the ledger did not record.
            throw new UncheckedIOException("the privacy ledger in " + budget.ledgerDir() + " could not record round "
                    + roundNumber + " of " + federation, e);
        }
        Map<String, Scalar> metrics = new LinkedHashMap<>();
        metrics.put(SecureFitEntries.DP_ROUND_EPSILON, ScalarMaps.of(spend.roundEpsilon()));
        metrics.put(SecureFitEntries.DP_TOTAL_EPSILON, ScalarMaps.of(spend.totalEpsilon()));
        metrics.put(SecureFitEntries.DP_BUDGET_EPSILON, ScalarMaps.of(budget.epsilon()));
        metrics.put(SecureFitEntries.DP_DELTA, ScalarMaps.of(spend.delta()));
        return new Release(update -> mechanism.privatize(update, sites).values(), metrics);
    }

    private PrivacyLedger ledger(PrivacySettings settings) {
        if (ledger == null) {
            try {
                ledger = PrivacyLedger.open(budget.ledgerDir(), site, settings);
            } catch (IOException e) {
                throw new UncheckedIOException("the privacy ledger in " + budget.ledgerDir() + " could not be opened",
                        e);
            }
        }
        return ledger;
    }

    @Override
    public synchronized void close() throws IOException {
        if (ledger != null) {
            ledger.close();
        }
    }
}
