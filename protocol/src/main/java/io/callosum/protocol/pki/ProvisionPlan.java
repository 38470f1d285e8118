package io.callosum.protocol.pki;

import java.time.Duration;
import java.util.List;

/** What {@code ./callosum provision} is asked to create; checked whole before anything is written. */
public record ProvisionPlan(String consortium, List<String> sites, ServerNames server, Duration caValidity,
                            Duration leafValidity, Duration revocationListValidity, boolean force) {
    /** Long enough to survive a holiday, short enough that a stolen copy of an old list stops being accepted. */
    public static final Duration REVOCATION_LIST_DEFAULT = Duration.ofDays(30);

    public ProvisionPlan {
        if (consortium == null || consortium.isBlank()) {
            throw new IllegalArgumentException("empty consortium name");
        }
        sites = SiteNames.checkAll(sites);
        for (Duration duration : List.of(caValidity, leafValidity, revocationListValidity)) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("validity must be positive, not " + duration.toDays() + " days");
            }
        }
        if (leafValidity.compareTo(caValidity) > 0) {
            throw new IllegalArgumentException("certificates (" + leafValidity.toDays()
                    + " days) cannot outlive the CA (" + caValidity.toDays() + " days)");
        }
    }
}
