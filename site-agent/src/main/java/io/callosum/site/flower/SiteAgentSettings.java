package io.callosum.site.flower;

import io.callosum.site.secagg.PrivacyBudget;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a hospital runs its site agent: where the coordinator is, who this site is, where its data lives, and how
 * patiently it reconnects when the coordinator restarts.
 */
public record SiteAgentSettings(String coordinatorHost, int coordinatorPort, String site, Path dataDir,
                                int maxMessageBytes, Duration initialBackoff, Duration maxBackoff, long seed,
                                Optional<SiteTls> tls, PrivacyBudget privacy) {
    /** The seed of a site's held-out split unless told otherwise; the demo's baselines train on the same subjects. */
    public static final long DEFAULT_SEED = 7;

    public SiteAgentSettings {
        Objects.requireNonNull(coordinatorHost, "coordinatorHost");
        Objects.requireNonNull(site, "site");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(privacy, "privacy");
        if (coordinatorPort < 1 || coordinatorPort > 65535) {
            throw new IllegalArgumentException("coordinator port must be 1-65535, got " + coordinatorPort);
        }
    }

    public static SiteAgentSettings of(String coordinator, String site, Path dataDir) {
        int colon = coordinator.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("coordinator address '" + coordinator + "' must be HOST:PORT");
        }
        int port;
        try {
            port = Integer.parseInt(coordinator.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("coordinator address '" + coordinator + "' has no numeric port");
        }
        return new SiteAgentSettings(coordinator.substring(0, colon), port, site, dataDir, 64 << 20,
                Duration.ofSeconds(1), Duration.ofSeconds(30), DEFAULT_SEED, Optional.empty(),
                PrivacyBudget.defaults(site));
    }

    public SiteAgentSettings withMaxMessageBytes(int bytes) {
        return new SiteAgentSettings(coordinatorHost, coordinatorPort, site, dataDir, bytes, initialBackoff,
                maxBackoff, seed, tls, privacy);
    }

    public SiteAgentSettings withBackoff(Duration initial, Duration max) {
        return new SiteAgentSettings(coordinatorHost, coordinatorPort, site, dataDir, maxMessageBytes, initial, max,
                seed, tls, privacy);
    }

    /** Dials the coordinator's mTLS site listener with these files instead of plain text. */
    public SiteAgentSettings withTls(SiteTls files) {
        return new SiteAgentSettings(coordinatorHost, coordinatorPort, site, dataDir, maxMessageBytes, initialBackoff,
                maxBackoff, seed, Optional.of(files), privacy);
    }

    /** Spends at most this much differential privacy, with its ledger where it says. */
    public SiteAgentSettings withPrivacy(PrivacyBudget budget) {
        return new SiteAgentSettings(coordinatorHost, coordinatorPort, site, dataDir, maxMessageBytes, initialBackoff,
                maxBackoff, seed, tls, budget);
    }
}
