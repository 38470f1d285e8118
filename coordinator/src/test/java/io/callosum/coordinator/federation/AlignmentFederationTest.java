package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.alignment.space.HeadNames;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.federation.AlignmentSpace;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.site.flower.SiteAgentSettings;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alignment phase with real site agents: a JEPA federation pretrains the encoders, then an alignment federation
 * binds every modality's head to the EEG anchor over those frozen encoders. site-01 holds imaging, EEG and omics,
 * site-02 imaging and EEG, so the imaging and EEG heads are averaged over both and the omics head comes from one.
 */
@QuarkusTest
class AlignmentFederationTest extends FederationTestBase {
    private static final ModelPlan MODEL = new ModelPlan(16, 1, 2, 8, 1, 8, 32, 6, 7);
    private static final List<String> SITES = List.of("site-01", "site-02");

    @TempDir
    Path cohort;

    @Test
    void sitesBindTheirHeadsToTheAnchorOverFrozenPretrainedEncoders() throws Exception {
        new CohortGenerator(new CohortSpec(48, 2, 5, 16, 1, 64, 60, 6)).write(cohort, n -> { });
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        FederationPlan pretraining = new FederationPlan("pretrain-" + suffix, FederationKind.JEPA, 1, 2, 1.0,
                Duration.ofMinutes(2), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5), MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off());
        FederationPlan alignment = new FederationPlan("align-" + suffix, FederationKind.ALIGNMENT, 2, 2, 1.0,
                Duration.ofMinutes(2), 1, true, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(10, 5e-3, 16, "sigreg", 0.5), MODEL, SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off(), new AlignmentPlan(pretraining.name(),
                        new AlignmentSpace(Modality.EEG, 8, 16, "infonce")));

        StoredFederation pretrained = runWithAgents(pretraining);
        StoredFederation aligned = runWithAgents(alignment);

        TensorSet encoders = models.tensors(models.latest(pretrained.id()).orElseThrow());
        List<ModelVersion> versions = models.versions(aligned.id());
        assertEquals(3, versions.size(), "the initial model and one version per round");
        TensorSet initial = models.tensors(versions.get(0));
        TensorSet last = models.tensors(versions.get(2));
        assertEquals(EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS, Modality.SHARED), last.modalities());
        for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            assertFalse(changed(encoders, initial, modality), modality + " encoder taken from pretraining");
            assertFalse(changed(initial, last, modality), modality + " encoder stays frozen");
            assertTrue(changed(initial, last, Modality.SHARED, HeadNames.headPrefix(modality)),
                    modality + " head was trained");
        }

        RoundRecord round = records.rounds(aligned.id()).get(1);
        JsonNode metrics = round.metrics();
        assertEquals(2, metrics.get("fit.participants").asInt(), metrics.toString());
        double recall = metrics.get("evaluate.retrieval_r10.imaging_eeg").asDouble();
        assertTrue(recall >= 0 && recall <= 1, metrics.toString());
        assertTrue(metrics.get("evaluate.retrieval_chance_r1.omics_eeg").asDouble() > 0, metrics.toString());
        assertTrue(metrics.get("fit.alignment_loss.imaging_eeg").asDouble() > 0, metrics.toString());
        List<JsonNode> evaluations = records.results(round.id()).stream()
                .filter(r -> r.get("phase").asText().equals("evaluate")).toList();
        assertEquals(SITES.size(), evaluations.size());
        for (JsonNode site : evaluations) {
            assertEquals("ok", site.get("status").asText(), site.toString());
            assertTrue(site.get("metrics").has("retrieval_r1.imaging_eeg"), site.toString());
        }
    }

    @Test
    void anAlignmentFederationMustNameItsEncodersAndMeetTheConditionsOfSecureAggregation() {
        AlignmentPlan plan = new AlignmentPlan("pretrain", new AlignmentSpace(Modality.OMICS, 8, 0, "siglip"));
        assertThrows(IllegalArgumentException.class, () -> alignment(3, SecureAggregationPlan.off(), null));
        assertTrue(alignment(3, SecureAggregationPlan.on(1.0), plan).secureAggregation().enabled());
        IllegalArgumentException twoSites = assertThrows(IllegalArgumentException.class,
                () -> alignment(2, SecureAggregationPlan.on(1.0), plan));
        assertTrue(twoSites.getMessage().contains("at least 3 sites"), twoSites.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new AlignmentPlan("pretrain",
                new AlignmentSpace(Modality.OMICS, 8, 0, "triplet")));
    }

    private static FederationPlan alignment(int minSites, SecureAggregationPlan secure, AlignmentPlan plan) {
        return new FederationPlan("a", FederationKind.ALIGNMENT, 1, minSites, 1.0, Duration.ofMinutes(1), 1, true,
                StrategySettings.defaults("fedavg"), new LocalTrainingPlan(1, 1e-3, 8, "sigreg", 0.5), MODEL, secure,
                DifferentialPrivacyPlan.off(), plan);
    }

    private StoredFederation runWithAgents(FederationPlan plan) throws Exception {
        return runWithAgents(plan, SITES.stream().map(site -> SiteAgentSettings.of("localhost:" + port, site,
                cohort.resolve(site))).toList());
    }
}
