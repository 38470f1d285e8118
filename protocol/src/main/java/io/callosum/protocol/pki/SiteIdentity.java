package io.callosum.protocol.pki;

import java.math.BigInteger;
import java.time.Instant;

/** Who is on the other end of a verified connection: the site named by its certificate's CN. */
public record SiteIdentity(String site, String consortium, BigInteger serial, String fingerprint, Instant notAfter) {
}
