package io.callosum.coordinator.federation;

import java.time.OffsetDateTime;
import java.util.OptionalDouble;

/**
 * The differential privacy a site last said it has spent in all, from its own ledger, at its δ; its budget where
 * the site reports it. Reported with each secure round's key advertisement, so it is as of {@code reportedAt}.
 */
public record SitePrivacySpend(double epsilon, OptionalDouble budgetEpsilon, double delta, OffsetDateTime reportedAt) {
}
