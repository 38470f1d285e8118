package io.callosum.protocol.pki;

import java.math.BigInteger;
import java.time.Instant;

/** One row of the registry: the certificate a site was issued, and whether it has been revoked. */
public record RegisteredSite(String site, BigInteger serial, String fingerprint, Instant notAfter, boolean revoked) {
    public RegisteredSite {
        SiteNames.check(site);
    }

    public RegisteredSite asRevoked() {
        return new RegisteredSite(site, serial, fingerprint, notAfter, true);
    }
}
