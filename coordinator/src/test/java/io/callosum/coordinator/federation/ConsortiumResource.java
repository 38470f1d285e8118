package io.callosum.coordinator.federation;

import io.callosum.protocol.pki.ConsortiumDirectory;
import io.callosum.protocol.pki.ProvisionPlan;
import io.callosum.protocol.pki.ServerNames;
import io.callosum.protocol.pki.Validity;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Provisions a consortium into a temporary directory before the coordinator starts, and turns mTLS on with it. */
public class ConsortiumResource implements QuarkusTestResourceLifecycleManager {
    static final List<String> SITES = List.of("st-olav", "karolinska", "aker", "haukeland");

    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("callosum-consortium");
            new ConsortiumDirectory(dir).provision(new ProvisionPlan("Nordic Brain", SITES, ServerNames.LOOPBACK,
                    Validity.CA_DEFAULT, Validity.LEAF_DEFAULT, ProvisionPlan.REVOCATION_LIST_DEFAULT, false),
                    Instant.now());
        } catch (Exception e) {
            throw new IllegalStateException("could not provision the test consortium", e);
        }
        return Map.of("callosum.tls.enabled", "true", "callosum.tls.dir", dir.toString());
    }

    @Override
    public void stop() {
        try {
            FederationTestSupport.deleteTree(dir);
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }
}
