package io.callosum.cli.provision;

import io.callosum.cli.CallosumCommand;
import io.callosum.protocol.pki.Pem;
import io.callosum.protocol.pki.RevocationLists;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProvisionCommandTest {
    @TempDir
    Path dir;

    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    @Test
    void provisionsEverySiteAndPrintsTheFilesAndFingerprints() throws Exception {
        Path pki = dir.resolve("pki");
        int exit = run("provision", "--consortium", "Nordic Brain", "--sites", "st-olav,karolinska", "--out",
                pki.toString(), "--server-dns", "callosum.example.org", "--server-ip", "10.0.0.7", "--days", "90");

        assertEquals(0, exit, err.toString());
        for (String file : List.of("ca.crt", "ca.key", "coordinator.crt", "coordinator.key", "truststore.p12",
                "truststore.password", "crl.pem", "sites.tsv", "sites/st-olav.crt", "sites/st-olav.key",
                "sites/karolinska.crt", "sites/karolinska.key")) {
            assertTrue(Files.isRegularFile(pki.resolve(file)), file);
            assertTrue(out.toString().contains("  " + file + " "), "table lists " + file + ":\n" + out);
        }
        assertTrue(out.toString().contains("sites/st-olav.key            0600"), out.toString());
        X509Certificate coordinator = Pem.readCertificate(pki.resolve("coordinator.crt"));
        assertEquals("CN=callosum.example.org,O=Nordic Brain", coordinator.getSubjectX500Principal().getName());
        assertEquals(90, (coordinator.getNotAfter().getTime() - System.currentTimeMillis()) / 86_400_000L + 1);
        String siteFingerprint = Files.readAllLines(pki.resolve("sites.tsv")).get(1).split("\t")[2];
        assertTrue(out.toString().contains("st-olav              " + siteFingerprint), out.toString());
    }

    @Test
    void revokeAddsTheSiteToANewRevocationList() throws Exception {
        assertEquals(0, run("provision", "--consortium", "c", "--sites", "a,b", "--out", dir.toString()), err.toString());
        X509CRL before = Pem.readCrl(dir.resolve("crl.pem"));
        BigInteger serialB = Pem.readCertificate(dir.resolve("sites/b.crt")).getSerialNumber();

        out = new StringWriter();
        assertEquals(0, run("provision", "revoke", "--out", dir.toString(), "--site", "b"), err.toString());

        X509CRL after = Pem.readCrl(dir.resolve("crl.pem"));
        assertNull(before.getRevokedCertificate(serialB));
        assertNotNull(after.getRevokedCertificate(serialB));
        assertEquals(BigInteger.TWO, RevocationLists.number(after));
        assertTrue(Files.readAllLines(dir.resolve("sites.tsv")).get(2).endsWith("\trevoked"));
        assertTrue(out.toString().startsWith("Revoked site \"b\". " + dir.resolve("crl.pem")
                + " is now revocation list #2 with 1 revoked certificate(s)"), out.toString());

        assertEquals(0, run("provision", "renew-crl", "--out", dir.toString()), err.toString());
        assertEquals(BigInteger.valueOf(3), RevocationLists.number(Pem.readCrl(dir.resolve("crl.pem"))));
    }

    @Test
    void refusesToOverwriteKeysWithoutForce() {
        assertEquals(0, run("provision", "--consortium", "c", "--sites", "a", "--out", dir.toString()), err.toString());

        assertEquals(1, run("provision", "--consortium", "c", "--sites", "a", "--out", dir.toString()));
        assertTrue(err.toString().contains("already holds keys (ca.key, coordinator.key, sites/a.key); pass --force"),
                err.toString());
        assertEquals(0, run("provision", "--consortium", "c", "--sites", "a", "--out", dir.toString(), "--force"),
                err.toString());
    }

    @Test
    void refusesABadSiteNameNamingIt() {
        assertEquals(1, run("provision", "--consortium", "c", "--sites", "a,b/c", "--out", dir.toString()));

        assertTrue(err.toString().contains("bad site name \"b/c\""), err.toString());
        assertTrue(!Files.exists(dir.resolve("ca.key")), "nothing is written");
    }

    @Test
    void asksForWhatIsMissing() {
        assertEquals(2, run("provision", "--sites", "a", "--out", dir.toString()));
        assertTrue(err.toString().contains("provision needs --consortium NAME, --sites a,b,c and --out DIR"), err.toString());
    }

    private int run(String... args) {
        return new CommandLine(new CallosumCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
    }
}
