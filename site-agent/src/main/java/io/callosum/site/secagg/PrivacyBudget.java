package io.callosum.site.secagg;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How much differential privacy a site may spend over everything it takes part in, at which δ, and where its
 * ledger of spent rounds lives (outside the data directory, which may be read-only).
 */
public record PrivacyBudget(double epsilon, double delta, Path ledgerDir) {
    public PrivacyBudget {
        Objects.requireNonNull(ledgerDir, "ledgerDir");
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("privacy budget ε must be positive and finite, got " + epsilon);
        }
        if (!(delta > 0 && delta < 1)) {
            throw new IllegalArgumentException("privacy δ must lie strictly between 0 and 1, got " + delta);
        }
    }

    public PrivacyBudget withLedgerDir(Path dir) {
        return new PrivacyBudget(epsilon, delta, dir);
    }

    /** ε = 10 at δ = 1e-5, the ledger in {@code ~/.callosum/site-NAME}. */
    public static PrivacyBudget defaults(String site) {
        return new PrivacyBudget(10, 1e-5, Path.of(System.getProperty("user.home"), ".callosum", "site-" + site));
    }
}
