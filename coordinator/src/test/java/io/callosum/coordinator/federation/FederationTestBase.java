package io.callosum.coordinator.federation;

import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every federation test against the running coordinator needs. Tests share one coordinator, so each starts
 * only once the participants of the previous one are gone.
 */
abstract class FederationTestBase {
    @ConfigProperty(name = "quarkus.grpc.server.test-port")
    int port;

    @Inject
    FederationService federations;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry models;

    @Inject
    ParticipantRegistry participants;

    @Inject
    AuditLog auditLog;

    @BeforeEach
    void noLeftovers() throws Exception {
        FederationTestSupport.awaitNoParticipants(participants);
    }

    /**
     * Runs {@code plan} to its completion with fresh real site agents, one per settings, which the coordinator ends
     * when the federation completes; fails unless it completed.
     */
    StoredFederation runWithAgents(FederationPlan plan, List<SiteAgentSettings> sites) throws Exception {
        FederationTestSupport.awaitNoParticipants(participants);
        ExecutorService agents = Executors.newFixedThreadPool(sites.size());
        List<SiteAgent> running = new ArrayList<>();
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (SiteAgentSettings site : sites) {
                SiteAgent agent = new SiteAgent(site);
                running.add(agent);
                runs.add(agents.submit(agent::run));
            }
            FederationTestSupport.awaitConnected(participants, sites.size());
            StoredFederation federation = federations.start(plan);
            assertTrue(federations.awaitFinished(plan.name(), Duration.ofMinutes(3)), plan.name() + " finished");
            StoredFederation finished = records.find(plan.name()).orElseThrow();
            assertEquals("completed", finished.status(), String.valueOf(finished.failureReason()));
            for (Future<Integer> run : runs) {
                assertEquals(1, run.get(30, TimeUnit.SECONDS), "each agent served the run and shut down");
            }
            return federation;
        } finally {
            for (SiteAgent agent : running) {
                agent.close();
            }
            agents.shutdownNow();
        }
    }

    /** Whether any value of {@code modality}'s tensors differs between the two sets. */
    static boolean changed(TensorSet before, TensorSet after, Modality modality) {
        return changed(before, after, modality, "");
    }

    /** The same over the tensors whose names start with {@code prefix}. */
    static boolean changed(TensorSet before, TensorSet after, Modality modality, String prefix) {
        for (NamedTensor tensor : before.select(EnumSet.of(modality))) {
            if (!tensor.name().startsWith(prefix)) {
                continue;
            }
            float[] a = tensor.array().toFloatArray();
            float[] b = after.get(tensor.name()).orElseThrow().array().toFloatArray();
            for (int i = 0; i < a.length; i++) {
                if (a[i] != b[i]) {
                    return true;
                }
            }
        }
        return false;
    }
}
