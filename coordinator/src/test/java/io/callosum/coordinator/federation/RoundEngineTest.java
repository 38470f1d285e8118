package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.callosum.coordinator.federation.FederationTestSupport.assertClose;
import static io.callosum.coordinator.federation.FederationTestSupport.assertPerTensorFedAvgOfThreeSites;
import static io.callosum.coordinator.federation.FederationTestSupport.assertInboxEmpty;
import static io.callosum.coordinator.federation.FederationTestSupport.awaitConnected;
import static io.callosum.coordinator.federation.FederationTestSupport.plan;
import static io.callosum.coordinator.federation.FederationTestSupport.shift;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whole federations over real gRPC against the coordinator on its embedded PostgreSQL. */
@QuarkusTest
class RoundEngineTest extends ScriptedFederationTestBase {
    private static final Set<Modality> ALL = EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS);

    @Test
    void weighsEachTensorByTheExamplesOfItsModality() throws Exception {
        StoredFederation federation = runCountingExamplesPerModality(plan("per-modality", FederationKind.JEPA, 2, 3,
                Duration.ofSeconds(30), 1), this::join, "a", "b", "c");

        RoundRecord first = records.rounds(federation.id()).get(0);
        assertEquals(120, first.metrics().get("fit.examples.omics").asInt());
        assertEquals(50 + 50 + 180, first.metrics().get("fit.examples").asInt());
    }

    @Test
    void refusesAnUpdateWhoseExamplesOfAModalityAreNoCount() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite a = site("a", EnumSet.of(Modality.IMAGING), model, 1f, 10);
        ScriptedSite b = site("b", EnumSet.of(Modality.IMAGING), model, 3f, 10);
        a.reportExamplesPerModality(Map.of(Modality.IMAGING, 10L));
        b.reportExamplesPerModality(Map.of(Modality.IMAGING, -4L));
        join(a, b);

        StoredFederation federation = run(plan("bad-count", FederationKind.JEPA, 1, 1, Duration.ofSeconds(30), 1));

        RoundRecord round = records.rounds(federation.id()).get(0);
        JsonNode refused = records.results(round.id()).stream()
                .filter(r -> r.get("participant").asText().equals("b")).findFirst().orElseThrow();
        assertEquals("rejected", refused.get("status").asText(), refused.toString());
        assertTrue(refused.get("detail").asText().contains("'examples.imaging' must be a whole number of examples"
                + " > 0, got -4"), refused.toString());
        assertClose(shift(model, "imaging/w", 1f), models.tensors(models.versions(federation.id()).get(1)),
                "imaging/w");
    }

    @Test
    void aggregatesEachTensorOverTheSitesThatSentItAndKeepsLineage() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite[] sites = threeSites(model, "a", "b", "c");
        List<ScriptedParticipant> streams = join(sites);

        FederationPlan plan = plan("per-tensor", FederationKind.JEPA, 2, 3, Duration.ofSeconds(30), 1);
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        List<ModelVersion> versions = models.versions(federation.id());
        assertEquals(List.of(0, 1, 2), versions.stream().map(ModelVersion::round).toList());
        assertEquals(versions.get(0).id(), versions.get(1).parentId().orElseThrow());
        assertEquals(versions.get(1).id(), versions.get(2).parentId().orElseThrow());
        assertArrayEquals(model.get("eeg/w").orElseThrow().array().toFloatArray(),
                models.tensors(versions.get(0)).get("eeg/w").orElseThrow().array().toFloatArray());

        assertPerTensorFedAvgOfThreeSites(model, models, versions);

        List<RoundRecord> rounds = records.rounds(federation.id());
        assertEquals(List.of("completed", "completed"), rounds.stream().map(RoundRecord::status).toList());
        JsonNode metrics = rounds.get(0).metrics();
        assertEquals(3, metrics.get("fit.participants").asInt());
        assertEquals(100, metrics.get("fit.examples").asInt());
        double probe = (10 * 0.6 + 60 * 0.9) / 70;
        assertEquals(probe, metrics.get("evaluate.probe_accuracy.imaging").asDouble(), 1e-6);
        List<JsonNode> results = records.results(rounds.get(0).id());
        assertEquals(6, results.size());
        assertTrue(results.stream().allMatch(r -> r.get("status").asText().equals("ok")), results.toString());

        List<String> actions = auditLog.latest(200, plan.name()).stream().map(AuditEntry::action).toList();
        assertEquals(3, actions.stream().filter("version.stored"::equals).count(), actions.toString());
        assertEquals(2, actions.stream().filter("round.completed"::equals).count());
        assertTrue(actions.contains("federation.completed"));
        for (ScriptedParticipant stream : streams) {
            assertTrue(stream.awaitEnding(10).reconnect(), "the run ends with ReconnectIns");
        }
    }

    @Test
    void fedAvgMStepsFurtherThanTheMeanAndKeepsItsMomentumWithEachStoredVersion() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite a = site("a", EnumSet.of(Modality.IMAGING), model, 1f, 10);
        ScriptedSite b = site("b", EnumSet.of(Modality.IMAGING), model, 3f, 10);
        join(a, b);
        FederationPlan base = plan("fedavgm", FederationKind.JEPA, 2, 2, Duration.ofSeconds(30), 1);
        FederationPlan plan = new FederationPlan(base.name(), base.kind(), base.rounds(), base.minSites(),
                base.fractionFit(), base.roundDeadline(), base.maxAttempts(), base.evaluate(),
                new StrategySettings("fedavgm", 0.01, 1.5, 0.5, 0.9, 0.99, 1e-9), base.training(), base.model(),
                base.secureAggregation(), base.privacy());

        StoredFederation federation = runToCompletion(plan);

        // Each round the sites' mean moves imaging by 2: u = 2, step 1.5·2; then u = 0.5·2 + 2, step 1.5·3.
        List<ModelVersion> versions = models.versions(federation.id());
        assertClose(shift(model, "imaging/w", 3f), models.tensors(versions.get(1)), "imaging/w");
        assertClose(shift(model, "imaging/w", 7.5f), models.tensors(versions.get(2)), "imaging/w");
        assertArrayEquals(new float[] {3, 3, 3}, models.state(versions.get(2)).moments().get("m/imaging/w")
                .orElseThrow().array().toFloatArray(), 1e-5f);
        assertEquals("fedavgm", records.find(plan.name()).orElseThrow().plan().strategy().name());
    }

    @Test
    void completesARoundWithoutADroppedSiteWhileTheQuorumHolds() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite a = site("a", ALL, model, 1f, 10);
        ScriptedSite b = site("b", ALL, model, 3f, 10);
        ScriptedSite c = site("c", ALL, model, 100f, 10).droppingAtRound(1);
        join(a, b, c);

        FederationPlan plan = plan("dropped-site", FederationKind.JEPA, 2, 2, Duration.ofSeconds(30), 1);
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        RoundRecord first = records.rounds(federation.id()).get(0);
        JsonNode dropped = records.results(first.id()).stream()
                .filter(r -> r.get("participant").asText().equals("c")).findFirst().orElseThrow();
        assertEquals("dropped", dropped.get("status").asText());
        TensorSet round1 = models.tensors(models.versions(federation.id()).get(1));
        assertClose(shift(model, "omics/w", 2f), round1, "omics/w");
    }

    @Test
    void failsTheRoundAndThenTheFederationWhenTheQuorumIsMissed() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite a = site("a", ALL, model, 1f, 10);
        ScriptedSite slow = site("slow", ALL, model, 1f, 10).slowBy(4000);
        join(a, slow);

        FederationPlan plan = plan("quorum-missed", FederationKind.JEPA, 1, 2, Duration.ofSeconds(2), 2);
        StoredFederation federation = run(plan);

        StoredFederation failed = records.find(plan.name()).orElseThrow();
        assertEquals("failed", failed.status());
        assertTrue(failed.failureReason().contains("round 1 failed 2 attempts"), failed.failureReason());
        assertEquals(List.of(0), models.versions(federation.id()).stream().map(ModelVersion::round).toList(),
                "nothing partial is stored");
        List<RoundRecord> rounds = records.rounds(federation.id());
        assertEquals(2, rounds.size());
        for (RoundRecord round : rounds) {
            assertEquals("failed", round.status());
            assertTrue(round.failureReason().startsWith("quorum missed: 1 of 2 needed answered")
                    || round.failureReason().contains("participants needed were available"), round.failureReason());
        }
        JsonNode timeout = records.results(rounds.get(0).id()).stream()
                .filter(r -> r.get("participant").asText().equals("slow")).findFirst().orElseThrow();
        assertEquals("timeout", timeout.get("status").asText());
        assertTrue(auditLog.latest(50, plan.name()).stream().anyMatch(e -> e.action().equals("round.failed")));
    }

    @Test
    void refusesANanUpdateNamingTheTensorAndAggregatesTheRest() throws Exception {
        TensorSet model = threeModalityModel();
        ScriptedSite a = site("a", ALL, model, 1f, 10);
        ScriptedSite b = site("b", ALL, model, 3f, 10);
        ScriptedSite bad = site("bad", ALL, model, 0f, 10).sendingNanAtRound(1);
        join(a, b, bad);

        FederationPlan plan = plan("nan-update", FederationKind.JEPA, 1, 2, Duration.ofSeconds(30), 1);
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        JsonNode rejected = records.results(records.rounds(federation.id()).get(0).id()).stream()
                .filter(r -> r.get("participant").asText().equals("bad")).findFirst().orElseThrow();
        assertEquals("rejected", rejected.get("status").asText());
        String detail = rejected.get("detail").asText();
        assertTrue(detail.contains("bad") && detail.contains("/w") && detail.toLowerCase().contains("nan"), detail);
        assertClose(shift(model, "eeg/w", 2f), models.tensors(models.versions(federation.id()).get(1)), "eeg/w");
    }

    @Test
    void carriesModelsLargerThanOneMessageInChunks() throws Exception {
        float[] values = new float[600_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 1000;
        }
        TensorSet model = TensorSet.of(List.of(
                new NamedTensor("imaging/big", Modality.IMAGING, NpyArray.ofFloats(Shape.of(600, 1000), values))));
        assertTrue(model.byteSize() > storage.maxMessageBytes(), "the test model exceeds one message");
        ScriptedSite a = site("a", EnumSet.of(Modality.IMAGING), model, 1f, 10);
        ScriptedSite b = site("b", EnumSet.of(Modality.IMAGING), model, 3f, 30);
        join(a, b);

        FederationPlan plan = plan("chunked", FederationKind.JEPA, 1, 2, Duration.ofSeconds(60), 1);
        StoredFederation federation = run(plan);

        assertEquals("completed", records.find(plan.name()).orElseThrow().status());
        assertTrue(a.uploads() > 0 && a.downloads() > 0 && b.uploads() > 0 && b.downloads() > 0,
                "both directions went through the transfer service");
        float[] result = models.tensors(models.versions(federation.id()).get(1)).get("imaging/big").orElseThrow()
                .array().toFloatArray();
        for (int i = 0; i < values.length; i += 997) {
            assertEquals(values[i] + 2.5f, result[i], 1e-3, "element " + i);
        }
        assertInboxEmpty(storage.dir());
    }

    @Test
    void refusesSecureAggregationWhenTheSiteListenerIsNotOnMtls() throws Exception {
        FederationPlan plan = plan("secure-plaintext", FederationKind.JEPA, 1, 3, Duration.ofSeconds(30), 1)
                .withSecureAggregation(SecureAggregationPlan.on(1.0));
        StoredFederation federation = run(plan);

        StoredFederation failed = records.find(plan.name()).orElseThrow();
        assertEquals("failed", failed.status());
        assertTrue(failed.failureReason().contains("not on mTLS"), failed.failureReason());
        assertTrue(models.versions(federation.id()).isEmpty(), "no model is built for a refused federation");
    }

    @Test
    void secureAggregationNeedsThreeSitesPerRound() {
        FederationPlan plan = plan("secure-pair", FederationKind.JEPA, 1, 2, Duration.ofSeconds(30), 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> plan.withSecureAggregation(SecureAggregationPlan.on(1.0)));
        assertTrue(error.getMessage().contains("at least 3 sites"), error.getMessage());
    }

    private List<ScriptedParticipant> join(ScriptedSite... sites) throws InterruptedException {
        List<ScriptedParticipant> streams = new ArrayList<>();
        for (ScriptedSite site : sites) {
            ScriptedParticipant stream = new ScriptedParticipant(port, site);
            open.add(stream);
            streams.add(stream);
        }
        awaitConnected(participants, sites.length);
        return streams;
    }
}
