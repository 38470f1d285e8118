package io.callosum.protocol.pki;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;

import java.math.BigInteger;
import java.security.cert.X509CRL;

/** What a CRL's extensions say, read without a Bouncy Castle provider. */
public final class RevocationLists {
    private RevocationLists() {
    }

    /** The CRL number; each list the CA signs carries one more than the last, so the newest is plain to see. */
    public static BigInteger number(X509CRL crl) {
        byte[] extension = crl.getExtensionValue(Extension.cRLNumber.getId());
        if (extension == null) {
            throw new IllegalArgumentException("revocation list from " + crl.getIssuerX500Principal() + " has no CRL number");
        }
        return ASN1Integer.getInstance(ASN1OctetString.getInstance(extension).getOctets()).getValue();
    }
}
