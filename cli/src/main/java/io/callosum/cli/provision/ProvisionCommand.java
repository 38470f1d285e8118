package io.callosum.cli.provision;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.Fingerprints;
import io.callosum.protocol.pki.ProvisionPlan;
import io.callosum.protocol.pki.Provisioned;
import io.callosum.protocol.pki.RegisteredSite;
import io.callosum.protocol.pki.ServerNames;
import io.callosum.protocol.pki.WrittenFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ./callosum provision}: the consortium's CA, the coordinator's certificate and one per site, in one folder. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Create the consortium's certificate authority, the coordinator's server certificate, one client "
                + "certificate per site, the revocation list, a PKCS12 trust store and the site registry.",
                "Keys are EC P-256, PKCS#8 PEM, owner-only. See ops/helm/README.md for the Secrets to create."},
        subcommands = {RevokeCommand.class, RenewCrlCommand.class})
public class ProvisionCommand implements Callable<Integer> {
    // Not required=true: picocli would then demand them of `provision revoke` as well.
    @Option(names = "--consortium", paramLabel = "NAME", description = "consortium name, the O= of every certificate")
    String consortium;

    @Option(names = "--sites", split = ",", paramLabel = "SITE", description = "site names, comma-separated "
            + "(letters, digits, '.', '_', '-'); each becomes the CN of its certificate")
    List<String> sites = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory")
    Path out;

    @Option(names = "--server-dns", split = ",", paramLabel = "NAME",
            description = "DNS names the sites dial the coordinator by (default localhost, with 127.0.0.1)")
    List<String> serverDns = new ArrayList<>();

    @Option(names = "--server-ip", split = ",", paramLabel = "IP", description = "IP addresses of the coordinator")
    List<String> serverIps = new ArrayList<>();

    @Option(names = "--days", defaultValue = "365", description = "validity of the coordinator's and the sites' "
            + "certificates in days (default ${DEFAULT-VALUE})")
    int days;

    @Option(names = "--ca-days", defaultValue = "1825", description = "validity of the CA in days (default ${DEFAULT-VALUE})")
    int caDays;

    @Option(names = "--crl-days", defaultValue = "30", description = "days until the revocation list must be renewed "
            + "(default ${DEFAULT-VALUE}); after that the coordinator refuses every site")
    int crlDays;

    @Option(names = "--force", description = "replace the keys already in DIR (every certificate issued from them stops working)")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (consortium == null || sites.isEmpty() || out == null) {
            throw new ParameterException(spec.commandLine(), "provision needs --consortium NAME, --sites a,b,c and --out DIR");
        }
        ServerNames server = serverDns.isEmpty() && serverIps.isEmpty() ? ServerNames.LOOPBACK
                : new ServerNames(serverDns, serverIps);
        ProvisionPlan plan = new ProvisionPlan(consortium, sites, server, Duration.ofDays(caDays), Duration.ofDays(days),
                Duration.ofDays(crlDays), force);
        Provisioned provisioned = new ConsortiumDirectory(out).provision(plan, Instant.now());

        PrintWriter print = spec.commandLine().getOut();
        print.printf("Wrote %s for consortium \"%s\":%n", out, consortium);
        for (WrittenFile file : provisioned.files()) {
            print.printf(Locale.ROOT, "  %-28s %s  %s%n", out.relativize(file.path()), file.secret() ? "0600" : "0644",
                    file.contents());
        }
        print.printf("%nSHA-256 fingerprints (read them out to each site's engineer):%n");
        print.printf("  %-20s %s%n", "CA", provisioned.caFingerprint());
        print.printf("  %-20s %s%n", "coordinator", provisioned.coordinatorFingerprint());
        for (RegisteredSite site : provisioned.registry().sites().values()) {
            print.printf("  %-20s %s  serial %s%n", site.site(), site.fingerprint(), Fingerprints.serial(site.serial()));
        }
        print.printf("%nKeep ca.key offline. Revoke a site with: ./callosum provision revoke --out %s --site NAME%n", out);
        return 0;
    }
}
