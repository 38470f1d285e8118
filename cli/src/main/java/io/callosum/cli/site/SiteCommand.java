package io.callosum.cli.site;

import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.flower.SiteTls;
import io.callosum.site.secagg.PrivacyBudget;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code ./callosum site}: a hospital's site agent, serving the coordinator's rounds until the run ends. */
@Command(name = "site", mixinStandardHelpOptions = true,
        description = "Run a site agent: join the coordinator over Flower's protocol and train on local data.")
public class SiteCommand implements Callable<Integer> {
    @Option(names = "--coordinator", defaultValue = "localhost:9092", paramLabel = "HOST:PORT",
            description = "the coordinator's gRPC address (default ${DEFAULT-VALUE})")
    String coordinator;

    @Option(names = "--site", required = true, description = "this site's name, as the consortium registered it")
    String site;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "site directory with subjects.tsv")
    Path data;

    @Option(names = "--max-message-mib", defaultValue = "64",
            description = "larger updates travel in chunks (default ${DEFAULT-VALUE})")
    int maxMessageMib;

    @Option(names = "--tls-dir", paramLabel = "DIR", description = "dial the coordinator's mTLS listener with"
            + " DIR/ca.crt and this site's NAME.crt/NAME.key (in DIR or DIR/sites, as ./callosum provision writes)")
    Path tlsDir;

    @Option(names = "--ca", paramLabel = "PEM", description = "the consortium CA certificate (with --cert and --key)")
    Path ca;

    @Option(names = "--cert", paramLabel = "PEM", description = "this site's client certificate")
    Path cert;

    @Option(names = "--key", paramLabel = "PEM", description = "this site's private key (PKCS#8)")
    Path key;

    @Option(names = "--privacy-budget", defaultValue = "10", paramLabel = "EPSILON",
            description = "the most differential privacy (ε) this site spends over all rounds that ask for it; rounds"
                    + " beyond it are refused (default ${DEFAULT-VALUE})")
    double privacyBudget;

    @Option(names = "--privacy-delta", defaultValue = "1e-5", paramLabel = "DELTA",
            description = "the δ at which ε is counted (default ${DEFAULT-VALUE})")
    double privacyDelta;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "where this site keeps its privacy ledger (default ~/.callosum/site-NAME)")
    Path stateDir;

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path ledger = stateDir != null ? stateDir : PrivacyBudget.defaults(site).ledgerDir();
        SiteAgentSettings settings = SiteAgentSettings.of(coordinator, site, data)
                .withMaxMessageBytes(maxMessageMib << 20)
                .withPrivacy(new PrivacyBudget(privacyBudget, privacyDelta, ledger));
        boolean anyFile = ca != null || cert != null || key != null;
        if (tlsDir != null && anyFile) {
            throw new CommandLine.ParameterException(spec.commandLine(), "give either --tls-dir or --ca/--cert/--key");
        }
        if (anyFile && (ca == null || cert == null || key == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--ca, --cert and --key go together");
        }
        if (tlsDir != null) {
            settings = settings.withTls(SiteTls.fromDirectory(tlsDir, site));
        } else if (anyFile) {
            settings = settings.withTls(new SiteTls(ca, cert, key));
        }
        try (SiteAgent agent = new SiteAgent(settings)) {
            agent.run();
        }
        return 0;
    }
}
