package io.callosum.cli.site;

import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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

    @Override
    public Integer call() throws Exception {
        SiteAgentSettings settings = SiteAgentSettings.of(coordinator, site, data)
                .withMaxMessageBytes(maxMessageMib << 20);
        try (SiteAgent agent = new SiteAgent(settings)) {
            agent.run();
        }
        return 0;
    }
}
