package io.callosum.coordinator.federation;

import io.callosum.coordinator.participants.ParticipantRegistry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.coordinator.registry.StorageSettings;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Plans, models and waits shared by the federation tests. */
final class FederationTestSupport {
    private FederationTestSupport() {
    }

    /** A plan under a fresh name: the test database outlives a test run, and federation names are unique. */
    static FederationPlan plan(String name, FederationKind kind, int rounds, int minSites, Duration deadline,
                               int attempts) {
        return new FederationPlan(name + "-" + UUID.randomUUID().toString().substring(0, 8), kind, rounds, minSites, 1.0, deadline, attempts, true,
                StrategySettings.defaults("fedavg"), new LocalTrainingPlan(2, 1e-3, 8, "sigreg", 0.5),
                ModelPlan.defaults(), SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off());
    }

    /** One small tensor per modality, with distinct values so that mix-ups show. */
    static TensorSet threeModalityModel() {
        return TensorSet.of(List.of(
                new NamedTensor("imaging/w", Modality.IMAGING, NpyArray.ofFloats(Shape.of(3), 1f, 2f, 3f)),
                new NamedTensor("eeg/w", Modality.EEG, NpyArray.ofFloats(Shape.of(2), -1f, 5f)),
                new NamedTensor("omics/w", Modality.OMICS, NpyArray.ofFloats(Shape.of(2, 2), 0f, 0f, 10f, 20f))));
    }

    /** The blob storage a coordinator kept under {@code dir}, to read its versions back. */
    static ModelStorage storageAt(Path dir, int maxMessageBytes) {
        return new ModelStorage(new StorageSettings() {
            @Override
            public Path dir() {
                return dir;
            }

            @Override
            public int maxMessageBytes() {
                return maxMessageBytes;
            }
        });
    }

    /** Fails unless the storage's inbox holds no file: individual site updates are never kept. */
    static void assertInboxEmpty(Path storageDir) throws IOException {
        try (Stream<Path> inbox = Files.walk(storageDir.resolve("inbox"))) {
            assertFalse(inbox.anyMatch(Files::isRegularFile), "individual site updates are never kept");
        }
    }

    /** Deletes {@code dir} and everything under it. */
    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Tests share one coordinator: each starts once the previous test's participants are gone. */
    static void awaitNoParticipants(ParticipantRegistry participants) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!participants.connected().isEmpty() && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        if (!participants.connected().isEmpty()) {
            throw new AssertionError("participants of an earlier test are still connected: "
                    + participants.connected());
        }
    }

    static void awaitConnected(ParticipantRegistry participants, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (participants.connected().size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        if (participants.connected().size() < count) {
            throw new AssertionError("only " + participants.connected() + " connected");
        }
    }

    /** The tensors of {@code name}'s modality in {@code model}, each value moved by {@code by}. */
    static TensorSet shift(TensorSet model, String name, float by) {
        return ScriptedSite.shifted(model.select(EnumSet.of(model.get(name).orElseThrow().modality())), by);
    }

    static void assertClose(TensorSet expected, TensorSet actual, String name) {
        float[] want = expected.get(name).orElseThrow().array().toFloatArray();
        float[] got = actual.get(name).orElseThrow().array().toFloatArray();
        assertEquals(want.length, got.length, name);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4, name + "[" + i + "]");
        }
    }

    /**
     * Rounds 1 and 2 of the three scripted sites that shift by 1 (imaging, omics; 10 examples), 2 (EEG, omics; 30)
     * and 4 (all; 60) stored each tensor as the examples-weighted FedAvg over the sites holding it: imaging from the
     * first and third, EEG from the second and third, omics from all three.
     */
    static void assertPerTensorFedAvgOfThreeSites(TensorSet model, ModelRegistry models, List<ModelVersion> versions) {
        assertShiftedPerRound(model, models, versions, (10 * 1f + 60 * 4f) / 70, (30 * 2f + 60 * 4f) / 90,
                (10 * 1f + 30 * 2f + 60 * 4f) / 100);
    }

    /** Round r (1 and 2) stored each of the three tensors moved by r times its given shift. */
    private static void assertShiftedPerRound(TensorSet model, ModelRegistry models, List<ModelVersion> versions,
                                              float imaging, float eeg, float omics) {
        for (int round = 1; round <= 2; round++) {
            TensorSet stored = models.tensors(versions.get(round));
            assertClose(shift(model, "imaging/w", round * imaging), stored, "imaging/w");
            assertClose(shift(model, "eeg/w", round * eeg), stored, "eeg/w");
            assertClose(shift(model, "omics/w", round * omics), stored, "omics/w");
        }
    }

    /**
     * The examples per modality of {@link #assertPerModalityFedAvgOfThreeSites}, for the sites of
     * {@code ScriptedFederationTestBase.threeSites}: the first site has 10 imaging and
     * 40 omics subjects, the second 30 EEG and 20 omics, the third 60 of each.
     */
    static void reportThreeSitesExamplesPerModality(ScriptedSite[] sites) {
        sites[0].reportExamplesPerModality(Map.of(Modality.IMAGING, 10L, Modality.OMICS, 40L));
        sites[1].reportExamplesPerModality(Map.of(Modality.EEG, 30L, Modality.OMICS, 20L));
        sites[2].reportExamplesPerModality(Map.of(Modality.IMAGING, 60L, Modality.EEG, 60L, Modality.OMICS, 60L));
    }

    /**
     * Rounds 1 and 2 of the three scripted sites of {@link #assertPerTensorFedAvgOfThreeSites} reporting the
     * examples of {@link #reportThreeSitesExamplesPerModality}: each tensor is weighted by its own modality's
     * examples, not by the site's total (omics would be (50 + 2·50 + 4·180) / 280 = 3.11 then, not 2.67).
     */
    static void assertPerModalityFedAvgOfThreeSites(TensorSet model, ModelRegistry models,
                                                    List<ModelVersion> versions) {
        assertShiftedPerRound(model, models, versions, (10 * 1f + 60 * 4f) / 70, (30 * 2f + 60 * 4f) / 90,
                (40 * 1f + 20 * 2f + 60 * 4f) / 120);
    }
}
