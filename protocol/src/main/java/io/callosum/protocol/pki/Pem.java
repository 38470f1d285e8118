package io.callosum.protocol.pki;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CRLException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;

/**
 * PEM in and out, the format every TLS stack (grpc-java, Quarkus, openssl, kubectl secrets) reads. Keys are PKCS#8,
 * unencrypted: they are protected by file permissions (see {@link SecureFiles}) and by the Secret they go into.
 */
public final class Pem {
    private Pem() {
    }

    public static String encode(Object certificateKeyOrCrl) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(certificateKeyOrCrl instanceof PrivateKey key ? pkcs8(key) : certificateKeyOrCrl);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + certificateKeyOrCrl.getClass().getSimpleName(), e);
        }
        return text.toString();
    }

    public static X509Certificate readCertificate(Path file) throws IOException {
        if (parse(file) instanceof X509CertificateHolder holder) {
            try {
                return new JcaX509CertificateConverter().getCertificate(holder);
            } catch (CertificateException e) {
                throw new IOException(file + ": unreadable certificate: " + e.getMessage(), e);
            }
        }
        throw new IOException(file + ": no PEM certificate");
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        if (parse(file) instanceof PrivateKeyInfo info) {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        }
        throw new IOException(file + ": no PKCS#8 private key");
    }

    public static X509CRL readCrl(Path file) throws IOException {
        if (parse(file) instanceof X509CRLHolder holder) {
            try {
                return new JcaX509CRLConverter().getCRL(holder);
            } catch (CRLException e) {
                throw new IOException(file + ": unreadable revocation list: " + e.getMessage(), e);
            }
        }
        throw new IOException(file + ": no PEM revocation list");
    }

    private static Object parse(Path file) throws IOException {
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
            Object object = parser.readObject();
            if (object != null) {
                return object;
            }
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": malformed PEM: " + e.getMessage(), e);
        }
        throw new IOException(file + ": no PEM object");
    }

    private static Object pkcs8(PrivateKey key) {
        try {
            return new JcaPKCS8Generator(key, null).generate();
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key as PKCS#8", e);
        }
    }
}
