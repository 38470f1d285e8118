package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.privacy.RdpAccountant;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.callosum.coordinator.federation.FederationTestSupport.assertClose;
import static io.callosum.coordinator.federation.FederationTestSupport.assertPerTensorFedAvgOfThreeSites;
import static io.callosum.coordinator.federation.FederationTestSupport.assertInboxEmpty;
import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static io.callosum.coordinator.federation.FederationTestSupport.shift;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Securely aggregated federations over real mTLS on loopback: the sites run the site agent's own SecAgg+ session
 * with known updates, so the unmasked result can be checked against plain FedAvg by hand.
 */
@QuarkusTest
@TestProfile(SiteTlsProfile.class)
class SecureFederationTest extends ScriptedFederationTestBase {
    private static final Set<Modality> ALL = EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);
    /** Each site moves each value by at most 4 weighted by at most 1: inside the clipping bound. */
    private static final SecureAggregationPlan SECURE = new SecureAggregationPlan(true, 8.0, Duration.ofSeconds(5));

    @ConfigProperty(name = "callosum.tls.dir")
    Path dir;

    @Test
    void securelyAggregatedRoundsEqualFedAvgPerTensorOverTheSitesThatHoldIt() throws Exception {
        TensorSet model = threeModalityModel();
        join(threeSites(model, "st-olav", "karolinska", "aker"));

        FederationPlan plan = secure(plan("secure", FederationKind.JEPA, 2, 3, Duration.ofSeconds(30), 1));
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        List<ModelVersion> versions = models.versions(federation.id());
        assertPerTensorFedAvgOfThreeSites(model, models, versions);
        RoundRecord first = records.rounds(federation.id()).get(0);
        assertEquals(100, first.metrics().get("fit.examples").asInt());
        assertTrue(records.results(first.id()).stream().allMatch(r -> r.get("status").asText().equals("ok")));

        List<AuditEntry> secured = auditLog.latest(100, plan.name()).stream()
                .filter(e -> e.action().equals("round.securely_aggregated")).toList();
        assertEquals(2, secured.size());
        JsonNode detail = secured.get(0).detail();
        assertEquals(3, detail.get("contributors").size(), detail.toString());
        assertEquals(2, detail.get("threshold").asInt());
        assertTrue(detail.get("quantization_error_bound").asDouble() < 1e-6, detail.toString());
        assertInboxEmpty(storage.dir());
    }

    @Test
    void securelyAggregatedRoundsWeighEachTensorByTheExamplesOfItsModality() throws Exception {
        runCountingExamplesPerModality(secure(plan("secure-per-modality", FederationKind.JEPA, 2, 3,
                Duration.ofSeconds(30), 1)), this::join, "st-olav", "karolinska", "aker");
    }

    @Test
    void recoversTheSurvivorsSumWhenASiteDropsAfterSharingItsKeys() throws Exception {
        TensorSet model = threeModalityModel();
        join(site("st-olav", ALL, model, 1f, 10),
                site("karolinska", ALL, model, 2f, 10),
                site("aker", ALL, model, 3f, 20),
                site("haukeland", ALL, model, 100f, 10).droppingAtStage(SecAggStage.MASKED_INPUT));

        FederationPlan plan = secure(plan("secure-dropout", FederationKind.JEPA, 1, 3, Duration.ofSeconds(30), 1));
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        TensorSet stored = models.tensors(models.versions(federation.id()).get(1));
        float mean = (10 * 1f + 10 * 2f + 20 * 3f) / 40;
        assertClose(shift(model, "omics/w", mean), stored, "omics/w");
        JsonNode dropped = records.results(records.rounds(federation.id()).get(0).id()).stream()
                .filter(r -> r.get("participant").asText().equals("haukeland")).findFirst().orElseThrow();
        assertEquals("dropped", dropped.get("status").asText());
        assertTrue(dropped.get("detail").asText().contains("secure stage masked_input"), dropped.toString());
        JsonNode detail = auditLog.latest(50, plan.name()).stream()
                .filter(e -> e.action().equals("round.securely_aggregated")).findFirst().orElseThrow().detail();
        assertEquals("[\"haukeland\"]", detail.get("dropped").toString());
    }

    @Test
    void abortsBelowTheThresholdAndStoresNothingPartial() throws Exception {
        TensorSet model = threeModalityModel();
        join(site("st-olav", ALL, model, 1f, 10),
                site("karolinska", ALL, model, 2f, 10).droppingAtStage(SecAggStage.ADVERTISE_KEYS),
                site("aker", ALL, model, 3f, 10).droppingAtStage(SecAggStage.ADVERTISE_KEYS));

        FederationPlan plan = secure(plan("secure-abort", FederationKind.JEPA, 1, 3, Duration.ofSeconds(30), 1));
        StoredFederation federation = run(plan);

        StoredFederation failed = records.find(plan.name()).orElseThrow();
        assertEquals("failed", failed.status());
        assertEquals(List.of(0), models.versions(federation.id()).stream().map(ModelVersion::round).toList(),
                "nothing partial is stored");
        String reason = records.rounds(federation.id()).get(0).failureReason();
        assertTrue(reason.contains("secure aggregation aborted at stage ADVERTISE_KEYS")
                && reason.contains("fewer than the threshold 2"), reason);
        assertInboxEmpty(storage.dir());
    }

    @Test
    void addsCalibratedNoiseReportsThePrivacySpentAndASiteOverItsBudgetRefuses() throws Exception {
        TensorSet model = threeModalityModel();
        double noiseMultiplier = 2;
        double effective = noiseMultiplier * Math.sqrt(2.0 / 3);
        double oneRound = RdpAccountant.empty().plusGaussian(effective).epsilon(1e-5).epsilon();
        double twoRounds = RdpAccountant.empty().plusGaussian(effective, 2).epsilon(1e-5).epsilon();
        join(site("st-olav", ALL, model, 1f, 10),
                site("karolinska", ALL, model, 2f, 10),
                site("aker", ALL, model, 3f, 10).withPrivacyBudget((oneRound + twoRounds) / 2));

        FederationPlan plan = secure(plan("secure-dp", FederationKind.JEPA, 2, 3, Duration.ofSeconds(30), 1))
                .withPrivacy(new DifferentialPrivacyPlan(noiseMultiplier, 1.0, 1e-5));
        StoredFederation federation = run(plan);

        // Round 1: each site's update (its offset on all 9 values, norm 3 × offset) is clipped to norm 1, so the
        // noiseless equal-weight mean moves every value by 1/3; the sum's noise has std z·C = 2, the mean's 2/3.
        TensorSet stored = models.tensors(models.versions(federation.id()).get(1));
        double squares = 0;
        int values = 0;
        for (String name : List.of("imaging/w", "eeg/w", "omics/w")) {
            float[] before = model.get(name).orElseThrow().array().toFloatArray();
            float[] after = stored.get(name).orElseThrow().array().toFloatArray();
            for (int i = 0; i < before.length; i++) {
                double noise = after[i] - before[i] - 1.0 / 3;
                squares += noise * noise;
                values++;
            }
        }
        double ratio = Math.sqrt(squares / values) / (2.0 / 3);
        assertTrue(ratio > 0.3 && ratio < 2.0, "the noise on the mean has std " + ratio + " × 2/3");

        List<RoundRecord> rounds = records.rounds(federation.id());
        JsonNode metrics = rounds.get(0).metrics();
        assertEquals(oneRound, metrics.get("privacy.epsilon").asDouble(), 1e-9);
        assertEquals(effective, metrics.get("secure_aggregation.effective_noise_multiplier").asDouble(), 1e-12);

        JsonNode refused = records.results(rounds.get(1).id()).stream()
                .filter(r -> r.get("participant").asText().equals("aker")).findFirst().orElseThrow();
        assertEquals("failed", refused.get("status").asText());
        assertTrue(refused.get("detail").asText().contains("refuses round 2")
                && refused.get("detail").asText().contains("privacy budget"), refused.toString());
        assertEquals("failed", records.find(plan.name()).orElseThrow().status(), "the quorum of 3 is missed");
    }

    private static FederationPlan secure(FederationPlan plan) {
        return plan.withSecureAggregation(SECURE);
    }

    private void join(ScriptedSite... sites) throws Exception {
        ConsortiumChannels channels = new ConsortiumChannels(dir, port);
        for (ScriptedSite site : sites) {
            open.add(new ScriptedParticipant(channels.channel(site.name()), site));
        }
        awaitConnected(participants, sites.length);
    }
}
