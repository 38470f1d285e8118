package io.callosum.protocol.pki;

import java.time.Duration;
import java.time.Instant;

/** The window in which a certificate is valid; an explicit record so tests can issue certificates already expired. */
public record Validity(Instant notBefore, Instant notAfter) {
    public static final Duration CA_DEFAULT = Duration.ofDays(5 * 365);
    public static final Duration LEAF_DEFAULT = Duration.ofDays(365);

    public Validity {
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("validity ends (" + notAfter + ") before it starts (" + notBefore + ")");
        }
    }

    /** Starts a minute early so that a peer whose clock runs slightly behind still accepts a fresh certificate. */
    public static Validity from(Instant now, Duration length) {
        return new Validity(now.minusSeconds(60), now.plus(length));
    }
}
