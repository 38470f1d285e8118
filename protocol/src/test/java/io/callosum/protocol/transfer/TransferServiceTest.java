package io.callosum.protocol.transfer;

import com.google.protobuf.ByteString;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.proto.Transfer.BlobChunk;
import io.callosum.protocol.transfer.proto.Transfer.BlobReceipt;
import io.callosum.protocol.transfer.proto.Transfer.BlobRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload and download over a real Netty server and channel whose messages are capped at 1 MiB. */
class TransferServiceTest {
    private static final int LIMIT = 1 << 20;

    @TempDir
    Path dir;
    private LoopbackTransfer transfer;

    @BeforeEach
    void start() throws IOException {
        transfer = new LoopbackTransfer(dir.resolve("store"), LIMIT);
    }

    @AfterEach
    void stop() throws InterruptedException {
        transfer.close();
    }

    @Test
    void fortyMegabyteTensorSetRoundTripsInChunksThatStayUnderTheMessageLimit() throws IOException {
        TensorSet set = TestTensors.of(
                new NamedTensor("imaging/encoder.weight", Modality.IMAGING, TestTensors.randomFloats(1, 6_000, 1_000)),
                new NamedTensor("eeg/encoder.weight", Modality.EEG, TestTensors.randomFloats(2, 3_000, 1_000)),
                new NamedTensor("omics/encoder.weight", Modality.OMICS, TestTensors.randomFloats(3, 1_000, 1_000)));
        long archiveBytes = TensorArchive.byteSize(set);
        long chunks = new ChunkSize(LIMIT).chunksFor(archiveBytes);
        TransferClient client = transfer.client();

        BlobId id = client.upload(set);

        assertTrue(transfer.store.contains(id));
        assertEquals(id, Sha256.of(transfer.store.path(id)));
        assertEquals(chunks, transfer.sentChunkSizes.size(), "upload chunk count");
        assertTrue(chunks >= 39, "40 MB in chunks of under 1 MiB take at least 39, got " + chunks);
        assertAllWithinLimitAndFull(transfer.sentChunkSizes);

        TensorSet downloaded = client.downloadTensors(id, dir.resolve("site"));

        TestTensors.assertSameTensors(set, downloaded);
        assertEquals(chunks, transfer.receivedChunkSizes.size(), "download chunk count");
        assertAllWithinLimitAndFull(transfer.receivedChunkSizes);
        assertEquals(1, FileBlobStoreTest.filesIn(dir.resolve("site")), "only the verified archive is left");
    }

    @Test
    void theServerRefusesAMessageOverTheLimit() {
        BlobChunk tooBig = chunk(new byte[LIMIT + 1], 0, LIMIT + 1, sha256(new byte[LIMIT + 1]));

        Status refused = rawUpload(tooBig);

        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getCode(), refused.toString());
    }

    @Test
    void uploadingAStoredBlobAgainIsAcceptedAndKeepsTheStoredFile() throws IOException {
        Path file = Files.write(dir.resolve("blob.bin"), randomBytes(7, 3 * LIMIT));
        BlobId first = transfer.client().upload(file);
        Object inode = Files.readAttributes(transfer.store.path(first), BasicFileAttributes.class).fileKey();

        BlobId second = transfer.client().upload(file);

        assertEquals(first, second);
        assertEquals(Sha256.of(file), second);
        assertEquals(inode, Files.readAttributes(transfer.store.path(first), BasicFileAttributes.class).fileKey());
        assertNothingSpooled();
    }

    @Test
    void aFlippedByteIsRefusedAsDataLossNamingBothHashesAndNothingIsStored() {
        byte[] data = randomBytes(11, 3000);
        String declared = sha256(data);
        byte[] corrupted = data.clone();
        corrupted[1500] ^= 0x01;

        Status refused = rawUpload(
                chunk(corrupted, 0, 1000, ""), chunk(corrupted, 1000, 1000, ""), chunk(corrupted, 2000, 1000, declared));

        assertEquals(Status.Code.DATA_LOSS, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains(declared), refused.getDescription());
        assertTrue(refused.getDescription().contains(sha256(corrupted)), refused.getDescription());
        assertStoreEmpty();
    }

    @Test
    void aWrongDeclaredHashIsRefusedNamingBothHashesAndNothingIsStored() {
        byte[] data = randomBytes(12, 3000);
        String wrong = sha256(new byte[0]);

        Status refused = rawUpload(chunk(data, 0, 3000, wrong));

        assertEquals(Status.Code.DATA_LOSS, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains(wrong), refused.getDescription());
        assertTrue(refused.getDescription().contains(sha256(data)), refused.getDescription());
        assertStoreEmpty();
    }

    @Test
    void aGapInOffsetsIsRefusedAndNothingIsStored() {
        byte[] data = randomBytes(13, 3000);

        Status refused = rawUpload(chunk(data, 0, 1000, ""), chunk(data, 1500, 1500, sha256(data)));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains("chunk at offset 1500 leaves a gap"), refused.getDescription());
        assertStoreEmpty();
    }

    @Test
    void anOverlapInOffsetsIsRefusedAndNothingIsStored() {
        byte[] data = randomBytes(14, 3000);

        Status refused = rawUpload(chunk(data, 0, 1000, ""), chunk(data, 500, 2500, sha256(data)));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains("overlaps"), refused.getDescription());
        assertStoreEmpty();
    }

    @Test
    void aStreamEndingShortOfItsTotalIsRefused() {
        byte[] data = randomBytes(15, 3000);

        Status refused = rawUpload(chunk(data, 0, 1000, sha256(data)));

        assertEquals(Status.Code.INVALID_ARGUMENT, refused.getCode(), refused.toString());
        assertTrue(refused.getDescription().contains("ended after 1000 of 3000 bytes"), refused.getDescription());
        assertStoreEmpty();
    }

    @Test
    void aClientCancelMidUploadLeavesNothing() throws InterruptedException {
        byte[] data = randomBytes(16, 3000);
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        StreamObserver<BlobChunk> upload = transfer.rawStub().upload(observe(outcome));
        upload.onNext(chunk(data, 0, 1000, ""));
        awaitTrue(() -> spooledFiles() == 1, "the first chunk was spooled");

        upload.onError(new IllegalStateException("site agent shutting down"));

        awaitTrue(() -> spooledFiles() == 0, "the spool file was removed after the cancel");
        assertStoreEmpty();
    }

    @Test
    void downloadingAnUnknownBlobIsNotFoundNamingTheHash() {
        BlobId unknown = BlobId.of(sha256(new byte[] {42}));
        Path target = dir.resolve("site").resolve("model.tensors");

        StatusRuntimeException raw = assertThrows(StatusRuntimeException.class,
                () -> transfer.rawBlockingStub().download(BlobRequest.newBuilder().setSha256(unknown.sha256()).build())
                        .hasNext());
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> transfer.client().download(unknown, target));

        assertEquals(Status.Code.NOT_FOUND, raw.getStatus().getCode());
        assertTrue(raw.getStatus().getDescription().contains(unknown.sha256()), raw.getStatus().getDescription());
        assertTrue(missing.getMessage().contains(unknown.sha256()), missing.getMessage());
        assertFalse(Files.exists(target));
    }

    @Test
    void aDownloadThatFailsVerificationLeavesNothingAtTheTarget() throws IOException {
        byte[] data = randomBytes(17, 2 * LIMIT);
        BlobId id = transfer.client().upload(Files.write(dir.resolve("blob.bin"), data));
        byte[] rotten = data.clone();
        rotten[LIMIT + 3] ^= 0x40;
        Files.write(transfer.store.path(id), rotten);
        Path site = Files.createDirectories(dir.resolve("site"));
        Path target = site.resolve("blob.bin");

        BlobIntegrityException refused = assertThrows(BlobIntegrityException.class,
                () -> transfer.client().download(id, target));

        assertEquals(id, refused.expected());
        assertEquals(BlobId.of(sha256(rotten)), refused.actual());
        assertTrue(refused.getMessage().contains(id.sha256()) && refused.getMessage().contains(sha256(rotten)),
                refused.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(0, FileBlobStoreTest.filesIn(site), "no spool file left beside the target");
    }

    @Test
    void aDownloadNeverReplacesAnExistingFile() throws IOException {
        BlobId id = transfer.client().upload(Files.write(dir.resolve("blob.bin"), randomBytes(18, 5000)));
        Path target = Files.writeString(dir.resolve("notes.txt"), "keep me");

        assertThrows(FileAlreadyExistsException.class, () -> transfer.client().download(id, target));

        assertEquals("keep me", Files.readString(target));
    }

    @Test
    void anEmptyBlobTravelsAsOneChunk() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.bin"));
        BlobId id = transfer.client().upload(empty);

        Path downloaded = transfer.client().download(id, dir.resolve("copy.bin"));

        assertEquals(BlobId.of(sha256(new byte[0])), id);
        assertEquals(0, Files.size(downloaded));
        assertEquals(1, transfer.sentChunkSizes.size(), "upload chunks");
        assertEquals(1, transfer.receivedChunkSizes.size(), "download chunks");
    }

    private void assertAllWithinLimitAndFull(List<Integer> sizes) {
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertTrue(largest <= LIMIT, "largest message " + largest + " exceeds the limit " + LIMIT);
        assertTrue(largest > new ChunkSize(LIMIT).dataBytes(), "chunks carry all the data they may: " + largest);
    }

    private Status rawUpload(BlobChunk... chunks) {
        CompletableFuture<Status> outcome = new CompletableFuture<>();
        StreamObserver<BlobChunk> upload = transfer.rawStub().upload(observe(outcome));
        Arrays.stream(chunks).forEach(upload::onNext);
        upload.onCompleted();
        return outcome.orTimeout(30, TimeUnit.SECONDS).join();
    }

    private static StreamObserver<BlobReceipt> observe(CompletableFuture<Status> outcome) {
        return new StreamObserver<>() {
            @Override
            public void onNext(BlobReceipt receipt) {
            }

            @Override
            public void onError(Throwable t) {
                outcome.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                outcome.complete(Status.OK);
            }
        };
    }

    private void assertStoreEmpty() {
        awaitTrue(() -> spooledFiles() == 0, "no spool file left");
        try (Stream<Path> entries = Files.list(transfer.store.root())) {
            assertEquals(List.of("incoming"), entries.map(p -> p.getFileName().toString()).toList(),
                    "nothing but the empty incoming folder");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void assertNothingSpooled() {
        assertEquals(0, spooledFiles());
    }

    private long spooledFiles() {
        try {
            return FileBlobStoreTest.filesIn(transfer.store.root().resolve("incoming"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The server cleans up on its own threads after answering; give it a moment. */
    private static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
        }
    }

    private static BlobChunk chunk(byte[] data, int offset, int length, String sha256) {
        BlobChunk.Builder chunk = BlobChunk.newBuilder().setOffset(offset).setSha256(sha256)
                .setData(ByteString.copyFrom(data, offset, length));
        if (offset == 0) {
            chunk.setTotalSize(data.length);
        }
        return chunk.build();
    }

    private static byte[] randomBytes(long seed, int length) {
        byte[] bytes = new byte[length];
        new SplittableRandom(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) {
        MessageDigest digest = Sha256.newDigest();
        return HexFormat.of().formatHex(digest.digest(bytes));
    }
}
