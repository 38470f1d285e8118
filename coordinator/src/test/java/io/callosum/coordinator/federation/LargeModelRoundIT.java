package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.JsonNode;
import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.ChunkSize;
import io.callosum.protocol.transfer.TensorArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static io.callosum.coordinator.federation.FederationTestSupport.assertInboxEmpty;
import static io.callosum.coordinator.federation.FederationTestSupport.deleteTree;
import static io.callosum.coordinator.federation.FederationTestSupport.storageAt;
import static io.callosum.coordinator.federation.FederationView.rounds;
import static io.callosum.coordinator.federation.FederationView.sha256;
import static io.callosum.coordinator.federation.FederationView.status;
import static io.callosum.coordinator.federation.FederationView.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A 1 GiB model goes through one federated round of the packaged coordinator with a 64 MiB message limit: every
 * tensor set travels in chunks over the transfer service, both ways, and the aggregate is still exact.
 *
 * <p>Too heavy for CI (several 1 GiB copies on disk and in memory), so it runs only with
 * {@code -Dcallosum.large-round=true}. The test JVM holds the model once (both sites share it) plus each site's
 * shifted update while it uploads: about 3.5 GiB at peak, hence failsafe's {@code -Xmx5g}.
 */
@EnabledIfSystemProperty(named = "callosum.large-round", matches = "true")
class LargeModelRoundIT {
    private static final String NAME = "large-round-it";
    private static final String FEDERATION = "/api/federations/" + NAME;
    private static final int MAX_MESSAGE_BYTES = 64 << 20;
    private static final int TENSORS = 4;
    /** 8192 × 8192 float32: 256 MiB a tensor, 1 GiB in all. */
    private static final Shape TENSOR_SHAPE = Shape.of(8192, 8192);
    /**
     * The coordinator folds updates into one double per element (2 × the model) and builds the float32 result
     * (1 × the model) on the heap; the sets themselves are memory-mapped.
     */
    private static final List<String> COORDINATOR_JVM = List.of("-Xmx4g");
    /** Sites a (offset 1, 10 examples) and b (offset 3, 30 examples): the round adds (10 + 90) / 40. */
    private static final float SHIFT = (10 * 1f + 30 * 3f) / 40;
    private static final int SAMPLES_PER_TENSOR = 1000;
    private static final Duration ROUND_LIMIT = Duration.ofMinutes(20);

    private final List<AutoCloseable> open = new ArrayList<>();
    private CoordinatorProcess coordinator;
    private Path work;

    @Test
    void carriesAGibibyteModelThroughARoundInChunksWithinTheMessageLimit() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target", "large-round-it")), "run");
        Path storageDir = work.resolve("blobs");
        int grpcPort = CoordinatorProcess.freePort();
        coordinator = CoordinatorProcess.start(COORDINATOR_JVM, properties(work, storageDir, grpcPort),
                CoordinatorProcess.freePort(), work.resolve("coordinator.log"));
        TensorSet model = model();
        long archiveBytes = TensorArchive.byteSize(model);
        assertTrue(model.byteSize() >= 1L << 30, "the model is at least 1 GiB");

        long started = System.nanoTime();
        ScriptedSite a = join("a", model, 1f, 10, grpcPort);
        ScriptedSite b = join("b", model, 3f, 30, grpcPort);
        JsonNode view = coordinator.await(FEDERATION, FederationView::finished, ROUND_LIMIT);
        double wallSeconds = (System.nanoTime() - started) / 1e9;
        OptionalLong peakRss = coordinator.peakResidentBytes();

        assertEquals("completed", status(view), view.toString());
        for (ScriptedSite site : List.of(a, b)) {
            assertTrue(site.uploads() > 0 && site.downloads() > 0,
                    "both ways by transfer: " + site.uploads() + " uploads, " + site.downloads() + " downloads");
            assertTrue(site.transferMessages().largestMessage() <= MAX_MESSAGE_BYTES,
                    "largest transfer message " + site.transferMessages().largestMessage());
        }
        long uploads = a.uploads() + b.uploads();
        long downloads = a.downloads() + b.downloads();
        long chunksUp = a.transferMessages().chunksSent() + b.transferMessages().chunksSent();
        long chunksDown = a.transferMessages().chunksReceived() + b.transferMessages().chunksReceived();
        long chunksPerSet = new ChunkSize(MAX_MESSAGE_BYTES).chunksFor(archiveBytes);
        assertEquals(uploads * chunksPerSet, chunksUp, "chunks uploaded");
        assertEquals(downloads * chunksPerSet, chunksDown, "chunks downloaded");
        assertRoundOneIsTheWeightedMean(view, storageDir);
        assertInboxEmpty(storageDir);

        JsonNode timings = rounds(view).stream().filter(r -> r.get("round").asInt() == 1).findFirst().orElseThrow()
                .get("timings");
        System.out.printf("LargeModelRoundIT: model %d bytes (archive %d) in %d tensors; %d uploads in %d chunks,"
                        + " %d downloads in %d chunks (%d chunks a set, largest message %d bytes); wall %.1f s from"
                        + " join to completed (round 0 included); round 1: fit %.1f s, train %.1f s, aggregate"
                        + " %.1f s, round %.1f s; coordinator peak RSS %s%n",
                model.byteSize(), archiveBytes, TENSORS, uploads, chunksUp, downloads, chunksDown, chunksPerSet,
                Math.max(a.transferMessages().largestMessage(), b.transferMessages().largestMessage()), wallSeconds,
                timings.get("fit_seconds").asDouble(), timings.get("train_seconds").asDouble(),
                timings.get("aggregate_seconds").asDouble(), timings.get("round_seconds").asDouble(),
                peakRss.isPresent() ? (peakRss.getAsLong() >> 20) + " MiB" : "unknown");
    }

    private static Map<String, String> properties(Path work, Path storageDir, int grpcPort) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("callosum.embedded-postgres.data-dir", work.resolve("postgres").toAbsolutePath().toString());
        properties.put("callosum.storage.dir", storageDir.toAbsolutePath().toString());
        properties.put("callosum.storage.max-message-bytes", String.valueOf(MAX_MESSAGE_BYTES));
        // The server itself refuses any larger message, so an upload that did not chunk would fail the round.
        properties.put("quarkus.grpc.server.max-inbound-message-size", String.valueOf(MAX_MESSAGE_BYTES));
        properties.put("quarkus.grpc.server.port", String.valueOf(grpcPort));
        properties.put("callosum.federation.autostart", "true");
        properties.put("callosum.federation.name", NAME);
        properties.put("callosum.federation.kind", "jepa");
        properties.put("callosum.federation.rounds", "1");
        properties.put("callosum.federation.min-sites", "2");
        // Plain-text scripted sites in the clear: mTLS and secure rounds are SiteTlsTest's and
        // SecureFederationTest's; this test is about what the coordinator keeps.
        properties.put("callosum.tls.enabled", "false");
        properties.put("callosum.federation.secure-aggregation.enabled", "false");
        properties.put("callosum.federation.evaluate", "false");
        properties.put("callosum.federation.round-deadline", ROUND_LIMIT.toString());
        return properties;
    }

    /** A site whose Flower stream, like its transfer channel, refuses any message over the limit. */
    private ScriptedSite join(String name, TensorSet model, float offset, long examples, int grpcPort) {
        ScriptedSite site = new ScriptedSite(name, EnumSet.of(Modality.IMAGING), model, offset, examples, grpcPort,
                MAX_MESSAGE_BYTES);
        open.add(site);
        open.add(new ScriptedParticipant(grpcPort, site, MAX_MESSAGE_BYTES));
        return site;
    }

    private static TensorSet model() {
        List<NamedTensor> tensors = new ArrayList<>();
        for (int t = 0; t < TENSORS; t++) {
            ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(TENSOR_SHAPE.elementCount() * Float.BYTES))
                    .order(ByteOrder.LITTLE_ENDIAN);
            FloatBuffer values = data.asFloatBuffer();
            for (int i = 0; i < values.capacity(); i++) {
                values.put(i, value(t, i));
            }
            tensors.add(new NamedTensor("imaging/block" + t, Modality.IMAGING,
                    NpyArray.view(DType.FLOAT32, TENSOR_SHAPE, data)));
        }
        return TensorSet.of(tensors);
    }

    /** Element {@code i} of tensor {@code t}: exact in float32, different across tensors and along each one. */
    private static float value(int t, int i) {
        return t + (i % 1021) / 1024f;
    }

    /** Samples every tensor of the stored round-1 version, from its first element to its last. */
    private static void assertRoundOneIsTheWeightedMean(JsonNode view, Path storageDir) {
        JsonNode roundOne = versions(view).stream().filter(v -> v.get("round").asInt() == 1).findFirst()
                .orElseThrow(() -> new AssertionError("no version of round 1: " + view));
        TensorSet stored = storageAt(storageDir, MAX_MESSAGE_BYTES).version(BlobId.of(sha256(roundOne)));
        int elements = Math.toIntExact(TENSOR_SHAPE.elementCount());
        for (int t = 0; t < TENSORS; t++) {
            String name = "imaging/block" + t;
            NpyArray array = stored.get(name).orElseThrow().array();
            assertTrue(array.dtype() == DType.FLOAT32 && !array.fortranOrder(), name + " is C-order float32");
            FloatBuffer got = array.data().asFloatBuffer();
            assertEquals(elements, got.capacity(), name);
            for (long s = 0; s < SAMPLES_PER_TENSOR; s++) {
                int i = (int) (s * (elements - 1) / (SAMPLES_PER_TENSOR - 1));
                assertEquals(value(t, i) + SHIFT, got.get(i), 1e-5, name + "[" + i + "]");
            }
        }
    }

    @AfterEach
    void release() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
        if (coordinator != null) {
            coordinator.stop();
        }
        if (work != null) {
            // The blobs are the GiBs; the small PostgreSQL directory stays for a look, as other ITs leave theirs.
            deleteTree(work.resolve("blobs"));
        }
    }
}
