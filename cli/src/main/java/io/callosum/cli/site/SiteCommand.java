package io.callosum.cli.site;

import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.flower.SiteTls;
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

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SiteAgentSettings settings = SiteAgentSettings.of(coordinator, site, data)
                .withMaxMessageBytes(maxMessageMib << 20);
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
