package io.callosum.protocol.transfer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileBlobStoreTest {
    /** sha256("hello\n"), as {@code sha256sum} prints it. */
    private static final BlobId HELLO = BlobId.of("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03");
    private static final byte[] HELLO_BYTES = "hello\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;

    @Test
    void storesABlobUnderItsShardedSha256() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);

        BlobId id = store.put(new ByteArrayInputStream(HELLO_BYTES));

        assertEquals(HELLO, id);
        assertTrue(store.contains(id));
        assertEquals(HELLO_BYTES.length, store.size(id));
        assertEquals(dir.resolve("58").resolve(HELLO.sha256().substring(2)), store.path(id));
        assertArrayEquals(HELLO_BYTES, Files.readAllBytes(store.path(id)));
        assertEquals(0, filesIn(dir.resolve("incoming")), "no temporary file left");
    }

    @Test
    void storingTheSameBytesAgainLeavesTheStoredFileUntouched() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        Path file = store.path(store.put(new ByteArrayInputStream(HELLO_BYTES)));
        Object inode = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        var modified = Files.getLastModifiedTime(file);

        assertEquals(HELLO, store.put(new ByteArrayInputStream(HELLO_BYTES), HELLO));

        assertEquals(inode, Files.readAttributes(file, BasicFileAttributes.class).fileKey());
        assertEquals(modified, Files.getLastModifiedTime(file));
        assertEquals(0, filesIn(dir.resolve("incoming")));
    }

    @Test
    void refusesContentThatDoesNotMatchTheExpectedHashAndKeepsNothing() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);
        byte[] other = "hellO\n".getBytes(StandardCharsets.US_ASCII);

        BlobIntegrityException refused = assertThrows(BlobIntegrityException.class,
                () -> store.put(new ByteArrayInputStream(other), HELLO));

        assertTrue(refused.getMessage().contains(HELLO.sha256()), refused.getMessage());
        assertTrue(refused.getMessage().contains(refused.actual().sha256()), refused.getMessage());
        assertFalse(store.contains(HELLO));
        assertFalse(store.contains(refused.actual()));
        assertEquals(0, filesIn(dir.resolve("incoming")));
    }

    @Test
    void putOfAFileStoresItsBytes() throws IOException {
        Path file = Files.write(dir.resolve("hello.txt"), HELLO_BYTES);
        FileBlobStore store = new FileBlobStore(dir.resolve("store"));

        assertEquals(HELLO, store.put(file));
        assertEquals(Sha256.of(file), HELLO);
    }

    @Test
    void pathOfAnAbsentBlobNamesItsHash() throws IOException {
        FileBlobStore store = new FileBlobStore(dir);

        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> store.path(HELLO));

        assertTrue(missing.getMessage().contains(HELLO.sha256()), missing.getMessage());
        assertFalse(store.contains(HELLO));
    }

    @Test
    void blobIdsAreSixtyFourLowercaseHexDigits() {
        assertEquals(HELLO.sha256(), HELLO.toString());
        IllegalArgumentException upper = assertThrows(IllegalArgumentException.class,
                () -> BlobId.of(HELLO.sha256().toUpperCase()));
        assertTrue(upper.getMessage().contains("64 lowercase hex"), upper.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlobId.of("58"));
        assertThrows(IllegalArgumentException.class, () -> BlobId.of("../" + HELLO.sha256().substring(3)));
    }

    static long filesIn(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.count();
        }
    }
}
