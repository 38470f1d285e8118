package io.callosum.uncertainty.federated;

import io.callosum.uncertainty.conformal.Threshold;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The coordinator's side of federated conformal calibration: pools the sites' score histograms so that
 * {@link ScoreHistogram#threshold} on the pool gives coverage ≥ 1−α for a subject drawn from the pooled mixture of
 * sites. The package documentation states the guarantee and what site shift does to it.
 */
public final class FederatedCalibration {
    private FederatedCalibration() {
    }

    /** The bin-wise sum of every site's histogram; refuses no sites and histograms that do not share a grid. */
    public static ScoreHistogram pool(Map<String, ScoreHistogram> bySite) {
        if (bySite == null || bySite.isEmpty()) {
            throw new IllegalArgumentException("no site histograms to pool");
        }
        ScoreHistogram pooled = null;
        String first = null;
        for (Map.Entry<String, ScoreHistogram> site : bySite.entrySet()) {
            if (site.getValue() == null) {
                throw new IllegalArgumentException("site " + site.getKey() + " sent no histogram");
            }
            if (pooled == null) {
                pooled = site.getValue();
                first = site.getKey();
            } else {
                try {
                    pooled = pooled.plus(site.getValue());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("site " + site.getKey() + " does not match site " + first
                            + ": " + e.getMessage(), e);
                }
            }
        }
        return pooled;
    }

    /**
     * Each site's own conservative threshold at miscoverage α: coverage ≥ 1−α for that site's own subjects when
     * they are exchangeable among themselves, whatever the other sites look like.
     */
    public static Map<String, Threshold> perSite(Map<String, ScoreHistogram> bySite, double alpha) {
        if (bySite == null || bySite.isEmpty()) {
            throw new IllegalArgumentException("no site histograms");
        }
        Map<String, Threshold> thresholds = new LinkedHashMap<>();
        bySite.forEach((site, histogram) -> {
            if (histogram == null) {
                throw new IllegalArgumentException("site " + site + " sent no histogram");
            }
            try {
                thresholds.put(site, histogram.threshold(alpha));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("site " + site + ": " + e.getMessage(), e);
            }
        });
        return thresholds;
    }
}
