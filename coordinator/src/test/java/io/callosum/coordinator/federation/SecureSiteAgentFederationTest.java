package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.coordinator.console.ConsoleView;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.privacy.PrivacyLedger;
import io.callosum.site.flower.SiteAgent;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.flower.SiteTls;
import io.callosum.site.secagg.PrivacyBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * Three real site agents on generated data train one securely aggregated round with differential privacy over
 * mTLS: what the demo runs, at a size CI affords.
 */
@QuarkusTest
@TestProfile(SiteTlsProfile.class)
class SecureSiteAgentFederationTest extends FederationTestBase {
    private static final List<String> SITES = List.of("st-olav", "karolinska", "aker");

    @ConfigProperty(name = "callosum.tls.dir")
    Path pki;

    @TempDir
    Path work;

    @Inject
    ConsoleView console;

    @Test
    void siteAgentsTrainASecureRoundWithNoiseAndChargeTheirLedgers() throws Exception {
        new CohortGenerator(new CohortSpec(48, 3, 5, 16, 1, 64, 60, 6)).write(work.resolve("cohort"), n -> { });
        FederationPlan plan = new FederationPlan("secure-agents-" + UUID.randomUUID().toString().substring(0, 8),
                FederationKind.JEPA, 1, 3, 1.0, Duration.ofMinutes(2), 1, true, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5), new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7),
                new SecureAggregationPlan(true, 1.0, Duration.ofSeconds(30)),
                new DifferentialPrivacyPlan(4.0, 0.5, 1e-5));

        ExecutorService runner = Executors.newFixedThreadPool(SITES.size());
        List<SiteAgent> agents = new ArrayList<>();
        List<Future<Integer>> runs = new ArrayList<>();
        try {
            for (int i = 0; i < SITES.size(); i++) {
                String site = SITES.get(i);
                SiteAgent agent = new SiteAgent(SiteAgentSettings.of("localhost:" + port, site,
                                work.resolve("cohort").resolve(String.format("site-%02d", i + 1)))
                        .withTls(SiteTls.fromDirectory(pki, site))
                        .withPrivacy(new PrivacyBudget(50, 1e-5, work.resolve("state").resolve(site))));
                agents.add(agent);
                runs.add(runner.submit(agent::run));
            }
            awaitConnected(participants, SITES.size());
            StoredFederation federation = federations.start(plan);
            assertTrue(federations.awaitFinished(plan.name(), Duration.ofMinutes(3)), "the federation finished");

            assertEquals("completed", records.find(plan.name()).orElseThrow().status(),
                    String.valueOf(records.find(plan.name()).orElseThrow().failureReason()));
            for (Future<Integer> run : runs) {
                assertEquals(1, run.get(30, TimeUnit.SECONDS), "each agent served the run and shut down");
            }
            JsonNode metrics = records.rounds(federation.id()).get(0).metrics();
            assertEquals(3, metrics.get("secure_aggregation.contributors").asInt(), metrics.toString());
            assertTrue(metrics.get("privacy.epsilon").asDouble() > 0, metrics.toString());
            JsonNode result = records.results(records.rounds(federation.id()).get(0).id()).stream()
                    .filter(r -> r.get("participant").asText().equals("st-olav")).findFirst().orElseThrow();
            assertTrue(result.toString().contains("privacy.total_epsilon"), result.toString());
            ConsoleView.SiteView shown = console.sites().stream().filter(s -> s.name().equals("st-olav"))
                    .findFirst().orElseThrow();
            SitePrivacySpend spent = shown.privacy().orElseThrow();
            assertEquals(result.get("metrics").get("privacy.total_epsilon").asDouble(), spent.epsilon(), 1e-9);
            assertEquals(50, spent.budgetEpsilon().orElseThrow(), 1e-9, "the site reports its own budget");
            assertEquals(1e-5, spent.delta(), 1e-15);
            ConsoleView.CertificateView certificate = shown.certificate().orElseThrow();
            assertFalse(certificate.expired() || certificate.expiresSoon(), certificate.toString());
            for (String site : SITES) {
                List<String> ledger = Files.readAllLines(work.resolve("state").resolve(site)
                        .resolve(PrivacyLedger.FILE_NAME));
                assertTrue(ledger.stream().anyMatch(line -> line.contains(plan.name())), site + ": " + ledger);
            }
        } finally {
            for (SiteAgent agent : agents) {
                agent.close();
            }
            runner.shutdownNow();
        }
    }
}
