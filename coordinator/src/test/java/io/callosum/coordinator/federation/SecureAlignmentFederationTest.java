package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.alignment.space.HeadNames;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.privacy.RdpAccountant;
import io.callosum.protocol.secagg.SecAggStage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgentSettings;
import io.callosum.site.flower.SiteTls;
import io.callosum.site.secagg.PrivacyBudget;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Securely aggregated alignment federations over real mTLS on loopback. Sites hold different modalities, so each
 * sends a different set of heads; the round's vector spans the shared space only, zeros where a site holds no head,
 * and each head must still come out as FedAvg over the sites that trained it.
 */
@QuarkusTest
@TestProfile(SiteTlsProfile.class)
class SecureAlignmentFederationTest extends ScriptedFederationTestBase {
    private static final ModelPlan SMALL_MODEL = new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7);
    private static final Set<Modality> ALL = EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);
    private static final AlignmentSpace SPACE = new AlignmentSpace(Modality.EEG, 8, 0, "infonce");
    /** Scripted sites move each value by at most 4, weighted by at most 1: inside the clipping bound. */
    private static final SecureAggregationPlan SECURE = new SecureAggregationPlan(true, 8.0, Duration.ofSeconds(5));
    /** What float32 arithmetic adds to the quantization bound: a few units in the last place of values near 1. */
    private static final double FLOAT_ROUNDING = 1e-6;

    @ConfigProperty(name = "callosum.tls.dir")
    Path pki;

    @TempDir
    Path work;

    @Test
    void siteAgentsHeadsEqualThePlainFedAvgOfTheSameRoundWithinTheQuantizationBound() throws Exception {
        new CohortGenerator(new CohortSpec(48, 3, 5, 16, 1, 64, 60, 6)).write(work.resolve("cohort"), n -> { });
        List<String> sites = List.of("st-olav", "karolinska", "aker");
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        FederationPlan pretraining = new FederationPlan("pretrain-" + suffix, FederationKind.JEPA, 1, 3, 1.0,
                Duration.ofMinutes(2), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5), SMALL_MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off());
        FederationPlan plain = new FederationPlan("align-plain-" + suffix, FederationKind.ALIGNMENT, 1, 3, 1.0,
                Duration.ofMinutes(2), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(10, 5e-3, 16, "sigreg", 0.5), SMALL_MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off(), new AlignmentPlan(pretraining.name(), SPACE));
        FederationPlan secure = plain.named("align-secure-" + suffix)
                .withSecureAggregation(new SecureAggregationPlan(true, 1.0, Duration.ofSeconds(30)));

        runWithAgents(pretraining, agents(sites));
        StoredFederation inClear = runWithAgents(plain, agents(sites));
        StoredFederation masked = runWithAgents(secure, agents(sites));

        List<ModelVersion> plainVersions = models.versions(inClear.id());
        List<ModelVersion> secureVersions = models.versions(masked.id());
        TensorSet initial = models.tensors(secureVersions.get(0));
        assertEquals(models.tensors(plainVersions.get(0)).manifest(), initial.manifest());
        TensorSet expected = models.tensors(plainVersions.get(1));
        TensorSet actual = models.tensors(secureVersions.get(1));
        JsonNode metrics = records.rounds(masked.id()).get(0).metrics();
        assertEquals(3, metrics.get("secure_aggregation.contributors").asInt(), metrics.toString());
        double bound = metrics.get("secure_aggregation.quantization_error_bound").asDouble();
        for (NamedTensor tensor : initial) {
            if (tensor.modality() == Modality.SHARED) {
                assertTrue(differs(tensor, actual), tensor.name() + " was trained");
                assertWithin(expected, actual, tensor.name(), bound + FLOAT_ROUNDING);
            } else {
                assertFalse(differs(tensor, actual), tensor.name() + " stays frozen");
            }
        }
        assertEquals(1, secured(secure.name()).size(), "one securely aggregated round");
    }

    @Test
    void eachHeadIsTheMeanOverItsHoldersAndASiteDroppingAfterSharingKeysLeavesTheSurvivorsSum() throws Exception {
        FederationPlan pretrained = pretrained();
        TensorSet model = threeModalityModel();
        join(site("st-olav", EnumSet.of(Modality.IMAGING, Modality.EEG), model, 1f, 10),
                site("karolinska", EnumSet.of(Modality.EEG, Modality.OMICS), model, 2f, 30),
                site("aker", ALL, model, 4f, 60),
                site("haukeland", ALL, model, 100f, 10).droppingAtStage(SecAggStage.MASKED_INPUT));
        FederationPlan plan = scriptedAlignment("secure-align-dropout", pretrained, 3);

        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status(),
                String.valueOf(records.find(plan.name()).orElseThrow().failureReason()));
        List<ModelVersion> versions = models.versions(federation.id());
        TensorSet initial = models.tensors(versions.get(0));
        TensorSet stored = models.tensors(versions.get(1));
        JsonNode detail = secured(plan.name()).get(0).detail();
        assertEquals("[\"haukeland\"]", detail.get("dropped").toString(), detail.toString());
        double tolerance = detail.get("quantization_error_bound").asDouble() + FLOAT_ROUNDING;
        Map<Modality, Float> meanShift = Map.of(
                Modality.IMAGING, (10 * 1f + 60 * 4f) / 70,
                Modality.OMICS, (30 * 2f + 60 * 4f) / 90,
                Modality.EEG, (10 * 1f + 30 * 2f + 60 * 4f) / 100);
        for (NamedTensor tensor : initial) {
            float shift = tensor.modality() != Modality.SHARED ? 0f
                    : HeadNames.headOf(tensor.name()).map(meanShift::get).orElse(meanShift.get(Modality.EEG));
            assertWithin(ScriptedSite.shifted(TensorSet.of(List.of(tensor)), shift), stored, tensor.name(),
                    tolerance);
        }
        JsonNode dropped = records.results(records.rounds(federation.id()).get(0).id()).stream()
                .filter(r -> r.get("participant").asText().equals("haukeland")).findFirst().orElseThrow();
        assertEquals("dropped", dropped.get("status").asText());
        assertTrue(dropped.get("detail").asText().contains("secure stage masked_input"), dropped.toString());
    }

    @Test
    void differentialPrivacyChargesEverySiteForAnAlignmentRoundAsForPretraining() throws Exception {
        FederationPlan pretrained = pretrained();
        TensorSet model = threeModalityModel();
        join(site("st-olav", ALL, model, 1f, 10).withPrivacyBudget(50),
                site("karolinska", ALL, model, 2f, 10).withPrivacyBudget(50),
                site("aker", ALL, model, 3f, 10).withPrivacyBudget(50));
        FederationPlan plan = scriptedAlignment("secure-align-dp", pretrained, 3)
                .withPrivacy(new DifferentialPrivacyPlan(2, 1.0, 1e-5));

        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status(),
                String.valueOf(records.find(plan.name()).orElseThrow().failureReason()));
        RoundRecord round = records.rounds(federation.id()).get(0);
        double effective = 2 * Math.sqrt(2.0 / 3);
        assertEquals(effective, round.metrics().get("secure_aggregation.effective_noise_multiplier").asDouble(),
                1e-12);
        assertEquals(RdpAccountant.empty().plusGaussian(effective).epsilon(1e-5).epsilon(),
                round.metrics().get("privacy.epsilon").asDouble(), 1e-9);
        List<JsonNode> fits = records.results(round.id()).stream()
                .filter(r -> r.get("phase").asText().equals("fit")).toList();
        assertEquals(3, fits.size());
        for (JsonNode fit : fits) {
            assertTrue(fit.get("metrics").get("privacy.total_epsilon").asDouble() > 0, fit.toString());
        }
    }

    /** A one-round JEPA federation of scripted sites whose stored version gives the alignment its encoders. */
    private FederationPlan pretrained() throws Exception {
        TensorSet model = threeModalityModel();
        join(site("st-olav", ALL, model, 1f, 10), site("karolinska", ALL, model, 1f, 10),
                site("aker", ALL, model, 1f, 10));
        FederationPlan plan = plan("pretrain", FederationKind.JEPA, 1, 3, Duration.ofSeconds(30), 1);
        run(plan);
        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        // The coordinator ends its participants' runs when a federation completes; the alignment's sites join anew.
        FederationTestSupport.awaitNoParticipants(participants);
        return plan;
    }

    private static FederationPlan scriptedAlignment(String name, FederationPlan pretrained, int minSites) {
        return new FederationPlan(name + "-" + UUID.randomUUID().toString().substring(0, 8),
                FederationKind.ALIGNMENT, 1, minSites, 1.0, Duration.ofSeconds(30), 1, false,
                pretrained.strategy(), pretrained.training(), pretrained.model(), SECURE,
                DifferentialPrivacyPlan.off(), new AlignmentPlan(pretrained.name(), SPACE));
    }

    private List<SiteAgentSettings> agents(List<String> sites) throws Exception {
        List<SiteAgentSettings> agents = new ArrayList<>();
        for (int i = 0; i < sites.size(); i++) {
            agents.add(SiteAgentSettings.of("localhost:" + port, sites.get(i),
                    work.resolve("cohort").resolve(String.format("site-%02d", i + 1)))
                    .withTls(SiteTls.fromDirectory(pki, sites.get(i))));
        }
        return agents;
    }

    private List<AuditEntry> secured(String federation) {
        return auditLog.latest(100, federation).stream()
                .filter(e -> e.action().equals("round.securely_aggregated")).toList();
    }

    private void join(ScriptedSite... sites) throws Exception {
        ConsortiumChannels channels = new ConsortiumChannels(pki, port);
        for (ScriptedSite site : sites) {
            open.add(new ScriptedParticipant(channels.channel(site.name()), site));
        }
        awaitConnected(participants, sites.length);
    }

    private static boolean differs(NamedTensor before, TensorSet after) {
        float[] a = before.array().toFloatArray();
        float[] b = after.get(before.name()).orElseThrow().array().toFloatArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                return true;
            }
        }
        return false;
    }

    private static void assertWithin(TensorSet expected, TensorSet actual, String name, double tolerance) {
        float[] want = expected.get(name).orElseThrow().array().toFloatArray();
        float[] got = actual.get(name).orElseThrow().array().toFloatArray();
        assertEquals(want.length, got.length, name);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tolerance, name + "[" + i + "]");
        }
    }
}
