package io.callosum.cli.provision;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.RevocationLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code ./callosum provision renew-crl}: re-sign the revocation list before its next update passes. */
@Command(name = "renew-crl", mixinStandardHelpOptions = true,
        description = "Re-sign crl.pem with the same entries and a new next update. The coordinator refuses every "
                + "site once the list it holds is past its next update, so renew it (e.g. weekly) and copy it over.")
public class RenewCrlCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "the directory `provision` wrote")
    Path out;

    @Option(names = "--crl-days", defaultValue = "30", description = "days until the next renewal (default ${DEFAULT-VALUE})")
    int crlDays;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsortiumDirectory pki = new ConsortiumDirectory(out);
        X509CRL crl = pki.renewRevocationList(Instant.now(), Duration.ofDays(crlDays));
        spec.commandLine().getOut().printf("%s is now revocation list #%s, next update %s.%n", pki.revocationList(),
                RevocationLists.number(crl), crl.getNextUpdate().toInstant());
        return 0;
    }
}
