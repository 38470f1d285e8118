package io.callosum.protocol.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Immutable blobs named by the SHA-256 of their bytes. A stored blob is never replaced or changed, so an id
 * read once names the same bytes forever; storing the same bytes twice stores them once.
 */
public interface BlobStore {

    /** A writer whose bytes become a blob only when committed. */
    BlobWriter newWriter() throws IOException;

    boolean contains(BlobId id);

    long size(BlobId id) throws IOException;

    /**
     * The file holding the blob; it must only be read.
     *
     * @throws java.nio.file.NoSuchFileException naming the hash when the blob is not stored
     */
    Path path(BlobId id) throws IOException;

    default BlobId put(InputStream in) throws IOException {
        try (BlobWriter writer = newWriter()) {
            in.transferTo(writer);
            return writer.commit();
        }
    }

    /** Stores {@code in} only if it hashes to {@code expected}; otherwise refuses it and stores nothing. */
    default BlobId put(InputStream in, BlobId expected) throws IOException {
        try (BlobWriter writer = newWriter()) {
            in.transferTo(writer);
            return writer.commit(expected);
        }
    }

    default BlobId put(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return put(in);
        }
    }
}
