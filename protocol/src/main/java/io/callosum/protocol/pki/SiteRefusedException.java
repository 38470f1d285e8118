package io.callosum.protocol.pki;

import java.security.cert.CertificateException;

/**
 * A site certificate that is not admitted. The message names the reason (unknown CA, expired, revoked, not
 * registered, ...) because it ends up in the coordinator's log, where an operator has to act on it.
 */
public final class SiteRefusedException extends CertificateException {
    public SiteRefusedException(String reason) {
        super(reason);
    }

    public SiteRefusedException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
