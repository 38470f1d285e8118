package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static io.callosum.coordinator.federation.FederationTestSupport.storageAt;
import static io.callosum.coordinator.federation.FederationTestSupport.threeModalityModel;
import static io.callosum.coordinator.federation.FederationView.rounds;
import static io.callosum.coordinator.federation.FederationView.sha256;
import static io.callosum.coordinator.federation.FederationView.status;
import static io.callosum.coordinator.federation.FederationView.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The packaged coordinator is SIGKILLed in the middle of a federation and started again on the same data: the
 * federation resumes and completes, and nothing stored before the kill is lost or changed.
 */
class CoordinatorResumeIT {
    private static final String NAME = "resume-it";
    private static final String FEDERATION = "/api/federations/" + NAME;
    private static final int ROUNDS = 6;
    private static final String INTERRUPTED = "interrupted by a coordinator restart";
    private static final int MAX_MESSAGE_BYTES = 1 << 20;
    /** Sites a (offset 1, 10 examples) and b (offset 3, 30 examples): each round adds (10 + 90) / 40. */
    private static final float SHIFT_PER_ROUND = (10 * 1f + 30 * 3f) / 40;

    private final List<ReconnectingSite> sites = new ArrayList<>();
    private final List<CoordinatorProcess> coordinators = new ArrayList<>();
    private Path dataDir;

    @Test
    void resumesAfterSigkillWithNoStoredVersionOrMetricLost() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "resume-it")), "run");
        dataDir = work.resolve("postgres");
        Path storageDir = work.resolve("blobs");
        int httpPort = CoordinatorProcess.freePort();
        int grpcPort = CoordinatorProcess.freePort();
        Map<String, String> properties = properties(dataDir, storageDir, grpcPort);

        CoordinatorProcess first = launch(properties, httpPort, work.resolve("first.log"));
        TensorSet model = threeModalityModel();
        join("a", model, 1f, 10, grpcPort);
        join("b", model, 3f, 30, grpcPort);

        JsonNode beforeKill = first.await(FEDERATION, CoordinatorResumeIT::midRoundAfterTwoRounds,
                Duration.ofSeconds(60));
        first.kill();
        assertFalse(ProcessHandle.of(first.pid()).map(ProcessHandle::isAlive).orElse(false), "SIGKILL ended it");
        long orphan = postmasterPid(dataDir);
        assertTrue(isAlive(orphan), "the killed coordinator's PostgreSQL outlives it");

        CoordinatorProcess second = launch(properties, httpPort, work.resolve("second.log"));
        JsonNode afterRestart = second.get(FEDERATION);
        assertFalse(isAlive(orphan), "the restarted coordinator stopped the orphaned PostgreSQL");
        JsonNode finished = second.await(FEDERATION, view -> status(view).equals("completed"),
                Duration.ofSeconds(60));

        assertVersionsForEveryRoundOnceInOneLineage(finished);
        assertKept(beforeKill, finished);
        assertKept(afterRestart, finished);
        assertInterruptedAttemptClosedAndRetried(afterRestart, finished);
        assertStoredModelsAreTheArithmeticExpectation(finished, storageDir, model);
        JsonNode resumed = auditEntry(second, "federation.resumed");
        assertEquals(1, resumed.get("detail").get("interrupted_attempts").asInt(), resumed.toString());
        for (ReconnectingSite site : sites) {
            assertTrue(site.awaitReleased(10), "the completed federation sends its sites ReconnectIns");
        }

        long postgres = postmasterPid(dataDir);
        second.stop();
        awaitGone(postgres);
    }

    private Map<String, String> properties(Path dataDir, Path storageDir, int grpcPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("callosum.embedded-postgres.data-dir", dataDir.toAbsolutePath().toString());
        properties.put("callosum.storage.dir", storageDir.toAbsolutePath().toString());
        properties.put("callosum.storage.max-message-bytes", String.valueOf(MAX_MESSAGE_BYTES));
        properties.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
        properties.put("callosum.federation.autostart", "true");
        properties.put("callosum.federation.name", NAME);
        properties.put("callosum.federation.rounds", String.valueOf(ROUNDS));
        properties.put("callosum.federation.min-sites", "2");
        // Plain-text scripted sites in the clear: mTLS and secure rounds are SiteTlsTest's and
        // SecureFederationTest's; this test is about what the coordinator keeps.
        properties.put("callosum.tls.enabled", "false");
        properties.put("callosum.federation.secure-aggregation.enabled", "false");
        properties.put("callosum.federation.evaluate", "true");
        properties.put("callosum.federation.round-deadline", "PT30S");
        return properties;
    }

    private CoordinatorProcess launch(Map<String, String> properties, int httpPort, Path log) throws Exception {
        CoordinatorProcess coordinator = CoordinatorProcess.start(properties, httpPort, log);
        coordinators.add(coordinator);
        return coordinator;
    }

    private void join(String name, TensorSet model, float offset, long examples, int grpcPort) {
        ScriptedSite site = new ScriptedSite(name, EnumSet.of(Modality.IMAGING, Modality.EEG, Modality.OMICS), model, offset, examples, grpcPort,
                MAX_MESSAGE_BYTES).slowBy(700);
        sites.add(new ReconnectingSite(site, grpcPort, name));
    }

    /** Killing while a round fits leaves an open attempt behind, the case a restart must clean up. */
    private static boolean midRoundAfterTwoRounds(JsonNode view) {
        List<JsonNode> rounds = rounds(view);
        return versions(view).size() >= 3 && !rounds.isEmpty()
                && rounds.get(rounds.size() - 1).get("status").asText().equals("fitting");
    }

    private static void assertVersionsForEveryRoundOnceInOneLineage(JsonNode view) {
        List<JsonNode> versions = versions(view);
        List<Integer> rounds = versions.stream().map(v -> v.get("round").asInt()).toList();
        assertEquals(IntStream.rangeClosed(0, ROUNDS).boxed().toList(), rounds, "one version per round");
        assertTrue(versions.get(0).get("parentId").isNull(), "round 0 has no parent");
        for (int round = 1; round <= ROUNDS; round++) {
            assertEquals(versions.get(round - 1).get("id").asLong(), versions.get(round).get("parentId").asLong(),
                    "version of round " + round + " descends from round " + (round - 1));
        }
    }

    /** Every version and every completed round of the earlier view is still there, unchanged. */
    private static void assertKept(JsonNode earlier, JsonNode later) {
        Map<Long, JsonNode> laterVersions = byId(versions(later));
        for (JsonNode version : versions(earlier)) {
            JsonNode kept = laterVersions.get(version.get("id").asLong());
            assertNotNull(kept, "version " + version + " is kept");
            assertEquals(version.get("round"), kept.get("round"));
            assertEquals(sha256(version), sha256(kept), "content of version " + version.get("id"));
        }
        Map<Long, JsonNode> laterRounds = byId(rounds(later));
        for (JsonNode round : rounds(earlier)) {
            if (!round.get("status").asText().equals("completed")) {
                continue;
            }
            JsonNode kept = laterRounds.get(round.get("id").asLong());
            assertNotNull(kept, "round record " + round + " is kept");
            assertEquals("completed", kept.get("status").asText());
            assertTrue(round.get("metrics").size() > 0, "round " + round.get("round") + " has metrics");
            assertEquals(round.get("metrics"), kept.get("metrics"), "metrics of round " + round.get("round"));
            assertEquals(round.get("outputVersion"), kept.get("outputVersion"));
        }
    }

    /**
     * The attempt the kill cut short is closed with the restart named as its reason; one that had not stored its
     * version is failed and its round retried by a later attempt that completed.
     */
    private static void assertInterruptedAttemptClosedAndRetried(JsonNode afterRestart, JsonNode finished) {
        List<JsonNode> interrupted = rounds(afterRestart).stream()
                .filter(r -> INTERRUPTED.equals(r.get("failureReason").asText(null))).toList();
        assertEquals(1, interrupted.size(), "one attempt was open at the kill: " + rounds(afterRestart));
        JsonNode closed = byId(rounds(finished)).get(interrupted.get(0).get("id").asLong());
        if (closed.get("status").asText().equals("completed")) {
            assertFalse(closed.get("outputVersion").isNull(), "only an attempt that stored its version completes");
            return;
        }
        assertEquals("failed", closed.get("status").asText());
        int round = closed.get("round").asInt();
        assertTrue(rounds(finished).stream().anyMatch(r -> r.get("round").asInt() == round
                        && r.get("attempt").asInt() > closed.get("attempt").asInt()
                        && r.get("status").asText().equals("completed")),
                "round " + round + " is retried and completes: " + rounds(finished));
    }

    /** Round r's model is the initial one shifted by r times the examples-weighted mean of the offsets. */
    private static void assertStoredModelsAreTheArithmeticExpectation(JsonNode view, Path storageDir,
                                                                      TensorSet model) {
        ModelStorage storage = storageAt(storageDir, MAX_MESSAGE_BYTES);
        for (JsonNode version : versions(view)) {
            int round = version.get("round").asInt();
            TensorSet stored = storage.version(BlobId.of(sha256(version)));
            for (NamedTensor tensor : model) {
                float[] want = tensor.array().toFloatArray();
                float[] got = stored.get(tensor.name()).orElseThrow().array().toFloatArray();
                assertEquals(want.length, got.length, tensor.name());
                for (int i = 0; i < want.length; i++) {
                    assertEquals(want[i] + round * SHIFT_PER_ROUND, got[i], 1e-4,
                            "round " + round + " " + tensor.name() + "[" + i + "]");
                }
            }
        }
    }

    private static JsonNode auditEntry(CoordinatorProcess coordinator, String action) throws Exception {
        JsonNode entries = coordinator.get("/api/audit?limit=1000&subject=" + NAME);
        return StreamSupport.stream(entries.spliterator(), false).filter(e -> e.get("action").asText().equals(action))
                .findFirst().orElseThrow(() -> new AssertionError("no " + action + " in the audit log: " + entries));
    }

    private static Map<Long, JsonNode> byId(List<JsonNode> nodes) {
        Map<Long, JsonNode> byId = new LinkedHashMap<>();
        nodes.forEach(node -> byId.put(node.get("id").asLong(), node));
        return byId;
    }

    private static long postmasterPid(Path dataDir) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
    }

    private static boolean isAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static void awaitGone(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (isAlive(pid) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        if (isAlive(pid)) {
            fail("PostgreSQL (pid " + pid + ") outlived the coordinator's SIGTERM shutdown");
        }
    }

    /** After a failure: what the test started must not outlive it, the killed coordinator's PostgreSQL included. */
    @AfterEach
    void release() throws Exception {
        for (CoordinatorProcess coordinator : coordinators) {
            coordinator.kill();
        }
        if (dataDir != null && Files.exists(dataDir.resolve("postmaster.pid"))) {
            ProcessHandle.of(postmasterPid(dataDir)).ifPresent(ProcessHandle::destroy);
        }
        for (ReconnectingSite site : sites) {
            site.close();
        }
    }
}
