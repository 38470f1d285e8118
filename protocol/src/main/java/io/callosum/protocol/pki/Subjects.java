package io.callosum.protocol.pki;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;
import java.util.Optional;

/** Reads the parts of a subject that carry meaning here: CN is the site, O the consortium. */
final class Subjects {
    private Subjects() {
    }

    static Optional<String> commonName(X509Certificate certificate) {
        return attribute(certificate, BCStyle.CN);
    }

    static Optional<String> organization(X509Certificate certificate) {
        return attribute(certificate, BCStyle.O);
    }

    private static Optional<String> attribute(X509Certificate certificate, ASN1ObjectIdentifier type) {
        RDN[] rdns = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()).getRDNs(type);
        // More than one CN would make the identity ambiguous, so it counts as none.
        if (rdns.length != 1) {
            return Optional.empty();
        }
        ASN1Encodable value = rdns[0].getFirst().getValue();
        return Optional.of(value instanceof ASN1String text ? text.getString() : IETFUtils.valueToString(value));
    }
}
