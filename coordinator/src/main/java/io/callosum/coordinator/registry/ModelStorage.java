package io.callosum.coordinator.registry;

import io.callosum.protocol.federation.ParameterReference;
import io.callosum.protocol.transfer.BlobId;
import io.callosum.protocol.transfer.BlobStore;
import io.callosum.protocol.transfer.FileBlobStore;
import io.callosum.protocol.transfer.TensorArchive;
import io.callosum.protocol.tensor.TensorSet;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The two blob stores. Global versions are kept for good and may be downloaded by sites; a site's individual
 * update lands in the inbox only until it is folded into the round's aggregate, and the inbox is never served.
 */
@ApplicationScoped
public class ModelStorage {
    private static final Logger LOG = Logger.getLogger(ModelStorage.class);

    private final BlobStore versions;
    private final BlobStore inbox;
    private final int maxMessageBytes;

    public ModelStorage(StorageSettings settings) {
        try {
            this.versions = new FileBlobStore(Files.createDirectories(settings.dir().resolve("versions")));
            this.inbox = new FileBlobStore(Files.createDirectories(settings.dir().resolve("inbox")));
        } catch (IOException e) {
            throw new UncheckedIOException("blob storage under " + settings.dir() + " could not be created", e);
        }
        this.maxMessageBytes = settings.maxMessageBytes();
    }

    public BlobStore versions() {
        return versions;
    }

    public BlobStore inbox() {
        return inbox;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Whether a tensor set must travel by reference over the transfer service. */
    public boolean needsTransfer(TensorSet set) {
        return !ParameterReference.travelsInline(set, maxMessageBytes);
    }

    public BlobId keep(TensorSet set) {
        try {
            return TensorArchive.store(set, versions);
        } catch (IOException e) {
            throw new UncheckedIOException("tensor set could not be stored", e);
        }
    }

    public TensorSet version(BlobId blob) {
        try {
            return TensorArchive.read(versions.path(blob));
        } catch (IOException e) {
            throw new UncheckedIOException("stored version " + blob + " could not be read", e);
        }
    }

    /** Reads a site's uploaded update from the inbox; the caller folds it in and then {@link #discard}s it. */
    public TensorSet uploaded(BlobId blob) throws IOException {
        return TensorArchive.read(inbox.path(blob));
    }

    public void discard(BlobId blob) {
        try {
            Files.deleteIfExists(inbox.path(blob));
        } catch (IOException e) {
            LOG.warnf("uploaded update %s could not be deleted from the inbox: %s", blob, e.getMessage());
        }
    }
}
