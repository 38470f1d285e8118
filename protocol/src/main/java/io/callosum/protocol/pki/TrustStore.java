package io.callosum.protocol.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;

/**
 * The CA as a PKCS12 trust store: Quarkus's separate gRPC server reads its trust store only as PKCS12 or JKS, never as
 * PEM (shared/STACK.md), so the coordinator gets this next to {@code ca.crt}.
 */
public final class TrustStore {
    public static final String ALIAS = "consortium-ca";

    private TrustStore() {
    }

    /** 24 random bytes, URL-safe Base64 without padding: typeable, and safe in a properties file or a Secret. */
    public static String newPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] pkcs12(X509Certificate ca, String password) throws GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
            store.setCertificateEntry(ALIAS, ca);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password.toCharArray());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot write the PKCS12 trust store", e);
        }
    }
}
