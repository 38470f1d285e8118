package io.callosum.protocol.transfer;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A blob being written into a {@link BlobStore}. Its bytes stay invisible until {@link #commit} stores them under
 * their hash; closing a writer that was not committed discards everything written.
 */
public abstract class BlobWriter extends OutputStream {

    /** Bytes written so far. */
    public abstract long size();

    /** Stores what was written and returns its id; a blob with the same id already stored is kept as it is. */
    public abstract BlobId commit() throws IOException;

    /**
     * Stores what was written only if it hashes to {@code expected}.
     *
     * @throws BlobIntegrityException naming both hashes when it does not; nothing is stored then
     */
    public abstract BlobId commit(BlobId expected) throws IOException;
}
