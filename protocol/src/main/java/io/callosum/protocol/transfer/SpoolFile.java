package io.callosum.protocol.transfer;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * A temporary file that hashes what is written to it and becomes visible under its final name only when
 * complete. {@link #close()} always removes the temporary name, so every failure path leaves nothing behind.
 */
final class SpoolFile extends OutputStream {
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest digest = Sha256.newDigest();
    private final OutputStream out;
    private long size;
    private BlobId sealedId;

    private SpoolFile(Path temp) throws IOException {
        this.temp = temp;
        this.channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        this.out = new DigestOutputStream(Channels.newOutputStream(channel), digest);
    }

    /** A new spool file in {@code dir}, which must be on the file system of the files it will publish. */
    static SpoolFile in(Path dir) throws IOException {
        Files.createDirectories(dir);
        return new SpoolFile(Files.createTempFile(dir, ".spool-", ".part"));
    }

    @Override
    public void write(int b) throws IOException {
        requireOpen();
        out.write(b);
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        requireOpen();
        out.write(bytes, offset, length);
        size += length;
    }

    long size() {
        return size;
    }

    /** Forces the bytes to disk and names them; nothing may be written after this. */
    BlobId seal() throws IOException {
        if (sealedId == null) {
            out.flush();
            channel.force(true);
            channel.close();
            sealedId = Sha256.idOf(digest);
        }
        return sealedId;
    }

    /** Seals this file and fails unless its content hashes to {@code expected}. */
    void verify(BlobId expected, String what) throws IOException {
        BlobId actual = seal();
        if (!actual.equals(expected)) {
            throw new BlobIntegrityException(what, expected, actual);
        }
    }

    /**
     * Makes the sealed content appear at {@code target} in one step, never replacing a file already there:
     * a hard link either creates the name or fails, where a rename could silently overwrite.
     *
     * @return false when {@code target} already existed and was left as it was
     */
    boolean publish(Path target) throws IOException {
        seal();
        Files.createDirectories(target.getParent());
        try {
            Files.createLink(target, temp);
        } catch (FileAlreadyExistsException e) {
            return false;
        }
        syncDirectory(target.getParent());
        return true;
    }

    @Override
    public void close() throws IOException {
        try {
            channel.close();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void requireOpen() throws IOException {
        if (sealedId != null) {
            throw new IOException("spool file " + temp + " is sealed; nothing more may be written");
        }
    }

    /** Makes a new name durable across a crash; some platforms cannot open a directory, and the name is then only as durable as the OS makes it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            // Durability of the name is best effort here; the content itself was forced in seal().
        }
    }
}
