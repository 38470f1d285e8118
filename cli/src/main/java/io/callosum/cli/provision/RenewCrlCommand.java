package io.callosum.cli.provision;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.RevocationLists;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code ./callosum provision renew-crl}: re-sign the revocation list before its next update passes. */
@Command(name = "renew-crl", mixinStandardHelpOptions = true,
        description = "Re-sign crl.pem with the same entries and a new next update. The coordinator refuses every "
                + "site once the list it holds is past its next update, so renew it (e.g. weekly) and copy it over.")
public class RenewCrlCommand implements Callable<Integer> {
    @Mixin
    RevocationListUpdate update;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsortiumDirectory pki = update.directory();
        X509CRL crl = pki.renewRevocationList(Instant.now(), update.validity());
        spec.commandLine().getOut().printf("%s is now revocation list #%s, next update %s.%n", pki.revocationList(),
                RevocationLists.number(crl), crl.getNextUpdate().toInstant());
        return 0;
    }
}
