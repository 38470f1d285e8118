package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real site agents, training real JEPA encoders on generated data, federated by the coordinator: the two sites
 * hold different modality sets, so each round aggregates imaging over both and omics over the one that has it.
 */
@QuarkusTest
class SiteAgentFederationTest extends FederationTestBase {
    @TempDir
    Path cohort;

    @Test
    void siteAgentsHoldingDifferentModalitiesTrainAndEvaluateTogether() throws Exception {
        // Two sites: site-01 holds imaging, EEG and omics; site-02 imaging and EEG. Tiny sizes keep CI fast.
        new CohortGenerator(new CohortSpec(48, 2, 5, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        ModelPlan model = new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7);
        FederationPlan plan = new FederationPlan("site-agents-" + UUID.randomUUID().toString().substring(0, 8),
                FederationKind.JEPA, 2, 2, 1.0, Duration.ofMinutes(2), 1, true, StrategySettings.defaults("fedprox"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5, "constant", "uniform", Map.of(Modality.OMICS, 0.2)),
                model, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off());

        ExecutorService agents = Executors.newFixedThreadPool(2);
        List<Future<Integer>> runs = new ArrayList<>();
        List<SiteAgent> running = new ArrayList<>();
        try {
            for (String site : List.of("site-01", "site-02")) {
                SiteAgent agent = new SiteAgent(SiteAgentSettings.of("localhost:" + port, site, cohort.resolve(site)));
                running.add(agent);
                runs.add(agents.submit(agent::run));
            }
            awaitConnected(participants, 2);
            StoredFederation federation = federations.start(plan);
            assertTrue(federations.awaitFinished(plan.name(), Duration.ofMinutes(3)));

            assertEquals("completed", records.find(plan.name()).orElseThrow().status());
            for (Future<Integer> run : runs) {
                assertEquals(1, run.get(30, TimeUnit.SECONDS), "each agent served one run and shut down");
            }
            List<ModelVersion> versions = models.versions(federation.id());
            assertEquals(3, versions.size());
            TensorSet initial = models.tensors(versions.get(0));
            TensorSet last = models.tensors(versions.get(2));
            assertEquals(EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS), last.modalities());
            assertTrue(changed(initial, last, Modality.IMAGING) && changed(initial, last, Modality.OMICS),
                    "every modality's encoder was trained");

            RoundRecord round = records.rounds(federation.id()).get(1);
            JsonNode metrics = round.metrics();
            for (String modality : List.of("imaging", "eeg", "omics")) {
                double probe = metrics.get("evaluate.probe_accuracy." + modality).asDouble();
                assertTrue(probe >= 0 && probe <= 1, modality + " probe " + probe);
                assertTrue(metrics.has("fit.loss." + modality), metrics.toString());
            }
            // Each step's loss is (1 − λ)·prediction + λ·SIGReg, so the sites' weighted means combine alike.
            for (Map.Entry<String, Double> lambda : Map.of("imaging", 0.5, "omics", 0.2).entrySet()) {
                String modality = lambda.getKey();
                assertEquals((1 - lambda.getValue()) * metrics.get("fit.prediction_loss." + modality).asDouble()
                        + lambda.getValue() * metrics.get("fit.regularizer." + modality).asDouble(),
                        metrics.get("fit.loss." + modality).asDouble(), 1e-4, modality + " trained at its λ");
            }
            assertEquals(2, metrics.get("fit.participants").asInt());
            assertFalse(round.timings().path("train_seconds").asDouble() <= 0, round.timings().toString());
        } finally {
            for (SiteAgent agent : running) {
                agent.close();
            }
            agents.shutdownNow();
        }
    }
}
