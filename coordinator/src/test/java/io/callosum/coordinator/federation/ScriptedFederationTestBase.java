package io.callosum.coordinator.federation;

import io.callosum.coordinator.registry.StorageSettings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Federations of scripted sites: creating them, running a plan to its end, closing every site afterwards. */
abstract class ScriptedFederationTestBase extends FederationTestBase {
    @Inject
    StorageSettings storage;

    /** What a test opened; closed only after its assertions, so that ReconnectIns still reaches the sites. */
    final List<AutoCloseable> open = new ArrayList<>();

    ScriptedSite site(String name, Set<Modality> modalities, TensorSet model, float offset, long examples) {
        ScriptedSite site = new ScriptedSite(name, modalities, model, offset, examples, port,
                storage.maxMessageBytes());
        open.add(site);
        return site;
    }

    StoredFederation run(FederationPlan plan) throws Exception {
        StoredFederation federation = federations.start(plan);
        assertTrue(federations.awaitFinished(plan.name(), Duration.ofSeconds(90)), plan.name() + " did not finish");
        return federation;
    }

    @AfterEach
    void closeSites() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        open.clear();
    }
}
