package io.callosum.protocol.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A {@link BlobStore} in a directory: blob {@code abcdef…} lives at {@code ab/cdef…}. New blobs are written to
 * {@code incoming/}, forced to disk, verified, then hard-linked into place, so a reader never sees a partial
 * blob and an existing one is never overwritten. Temporary files left by a crash stay in {@code incoming/}.
 */
public final class FileBlobStore implements BlobStore {
    private static final String INCOMING = "incoming";

    private final Path root;

    public FileBlobStore(Path root) throws IOException {
        this.root = Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    @Override
    public BlobWriter newWriter() throws IOException {
        return new Writer(SpoolFile.in(root.resolve(INCOMING)));
    }

    @Override
    public boolean contains(BlobId id) {
        return Files.isRegularFile(location(id));
    }

    @Override
    public long size(BlobId id) throws IOException {
        return Files.size(path(id));
    }

    @Override
    public Path path(BlobId id) throws IOException {
        Path location = location(id);
        if (!Files.isRegularFile(location)) {
            throw new NoSuchFileException(location.toString(), null, "no blob " + id + " in store " + root);
        }
        return location;
    }

    private Path location(BlobId id) {
        return root.resolve(id.sha256().substring(0, 2)).resolve(id.sha256().substring(2));
    }

    private final class Writer extends BlobWriter {
        private final SpoolFile spool;

        Writer(SpoolFile spool) {
            this.spool = spool;
        }

        @Override
        public void write(int b) throws IOException {
            spool.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            spool.write(bytes, offset, length);
        }

        @Override
        public long size() {
            return spool.size();
        }

        @Override
        public BlobId commit() throws IOException {
            BlobId id = spool.seal();
            spool.publish(location(id));
            return id;
        }

        @Override
        public BlobId commit(BlobId expected) throws IOException {
            spool.verify(expected, "blob refused by store " + root);
            return commit();
        }

        @Override
        public void close() throws IOException {
            spool.close();
        }
    }
}
