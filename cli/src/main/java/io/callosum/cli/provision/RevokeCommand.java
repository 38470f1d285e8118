package io.callosum.cli.provision;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.RevocationLists;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.security.cert.X509CRL;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code ./callosum provision revoke}: a site (or any certificate by serial) onto the revocation list. */
@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = "Revoke a site's certificate: add its serial to crl.pem (under a new CRL number) and mark it "
                + "revoked in sites.tsv. A coordinator reading that crl.pem refuses the site from its next connection.")
public class RevokeCommand implements Callable<Integer> {
    @Mixin
    RevocationListUpdate update;

    @ArgGroup(multiplicity = "1")
    Target target;

    static class Target {
        @Option(names = "--site", paramLabel = "NAME", description = "the site to revoke")
        String site;

        @Option(names = "--serial", paramLabel = "HEX", description = "a certificate serial, e.g. the coordinator's")
        String serial;
    }

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ConsortiumDirectory pki = update.directory();
        Instant now = Instant.now();
        X509CRL crl = target.site != null
                ? pki.revokeSite(target.site, now, update.validity())
                : pki.revokeSerial(Fingerprints.parseSerial(target.serial), now, update.validity());
        spec.commandLine().getOut().printf("Revoked %s. %s is now revocation list #%s with %d revoked certificate(s), "
                        + "next update %s.%nCopy it to the coordinator; it takes effect at the next connection.%n",
                target.site != null ? "site \"" + target.site + "\"" : "serial " + target.serial.toUpperCase(),
                pki.revocationList(), RevocationLists.number(crl), crl.getRevokedCertificates().size(),
                crl.getNextUpdate().toInstant());
        return 0;
    }
}
