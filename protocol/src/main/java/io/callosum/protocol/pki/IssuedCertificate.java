package io.callosum.protocol.pki;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** A certificate with the private key it was issued for. */
public record IssuedCertificate(X509Certificate certificate, PrivateKey privateKey) {
    public String fingerprint() {
        return Fingerprints.sha256(certificate);
    }
}
