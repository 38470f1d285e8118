package io.callosum.cli.site;

import io.callosum.cli.CallosumCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The site command's TLS options are checked before any connection is attempted. */
class SiteCommandTest {
    @TempDir
    Path dir;

    @Test
    void tlsFilesGoTogether() {
        String err = refused("--ca", dir.resolve("ca.crt").toString());
        assertTrue(err.contains("--ca, --cert and --key go together"), err);
    }

    @Test
    void aTlsDirectoryExcludesSingleFiles() {
        String err = refused("--tls-dir", dir.toString(), "--key", dir.resolve("a.key").toString());
        assertTrue(err.contains("either --tls-dir or --ca/--cert/--key"), err);
    }

    @Test
    void missingTlsFilesAreNamed() {
        String err = refused("--tls-dir", dir.toString());
        assertTrue(err.contains(dir.resolve("ca.crt") + " is missing or unreadable"), err);
    }

    private String refused(String... tls) {
        StringWriter err = new StringWriter();
        CommandLine command = new CommandLine(new CallosumCommand());
        command.setErr(new PrintWriter(err, true));
        String[] args = new String[5 + tls.length];
        System.arraycopy(new String[] {"site", "--site", "st-olav", "--data", dir.toString()}, 0, args, 0, 5);
        System.arraycopy(tls, 0, args, 5, tls.length);
        int rc = command.execute(args);
        assertTrue(rc != 0, "rc " + rc);
        return err.toString();
    }
}
