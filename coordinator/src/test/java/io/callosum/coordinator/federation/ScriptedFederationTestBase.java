package io.callosum.coordinator.federation;

import io.callosum.coordinator.registry.StorageSettings;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    /**
     * The three sites of {@link FederationTestSupport#assertPerTensorFedAvgOfThreeSites}: imaging and omics shifting
     * by 1 with 10 examples, EEG and omics by 2 with 30, all three by 4 with 60.
     */
    ScriptedSite[] threeSites(TensorSet model, String first, String second, String third) {
        return new ScriptedSite[] {
                site(first, EnumSet.of(Modality.IMAGING, Modality.OMICS), model, 1f, 10),
                site(second, EnumSet.of(Modality.EEG, Modality.OMICS), model, 2f, 30),
                site(third, EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS), model, 4f, 60)};
    }

    StoredFederation run(FederationPlan plan) throws Exception {
        StoredFederation federation = federations.start(plan);
        assertTrue(federations.awaitFinished(plan.name(), Duration.ofSeconds(90)), plan.name() + " did not finish");
        return federation;
    }

    /** How a test class connects its sites to the coordinator (plainly, over mTLS). */
    @FunctionalInterface
    interface Joiner {
        void join(ScriptedSite... sites) throws Exception;
    }

    /**
     * Runs {@code plan} (two rounds, quorum of three) over {@link #threeSites} named {@code names}, each reporting
     * its examples per modality, and requires that every tensor became the FedAvg weighted by its own modality's.
     */
    StoredFederation runCountingExamplesPerModality(FederationPlan plan, Joiner joiner, String... names)
            throws Exception {
        TensorSet model = FederationTestSupport.threeModalityModel();
        ScriptedSite[] sites = threeSites(model, names[0], names[1], names[2]);
        FederationTestSupport.reportThreeSitesExamplesPerModality(sites);
        joiner.join(sites);
        StoredFederation federation = runToCompletion(plan);
        FederationTestSupport.assertPerModalityFedAvgOfThreeSites(model, models, models.versions(federation.id()));
        return federation;
    }

    /** Runs {@code plan} to its end and requires that it completed. */
    StoredFederation runToCompletion(FederationPlan plan) throws Exception {
        StoredFederation federation = run(plan);
        assertEquals("completed", records.find(plan.name()).orElseThrow().status(), plan.name());
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
