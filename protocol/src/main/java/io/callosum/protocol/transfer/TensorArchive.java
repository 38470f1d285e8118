package io.callosum.protocol.transfer;

import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.NpyFormatException;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorManifest;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.tensor.TensorSpec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One file holding a whole {@link TensorSet}: the unit a {@link BlobStore} keeps and {@link TransferClient} moves.
 *
 * <p>Format version 1, all integers unsigned 64-bit little-endian:
 * <pre>
 *   "CALLOSUM-TENSORS 1\n"     magic, a space, the format version, a newline
 *   M, then M bytes            the {@link TensorManifest} text (UTF-8): names, modalities, dtypes, shapes
 *   per tensor, in manifest order:
 *     L, then L bytes          one complete .npy file
 * </pre>
 * The file ends right after the last tensor. Each tensor is stored exactly as given, byte order and memory
 * layout included (a big-endian or Fortran-order array stays so), so writing never copies or converts; call
 * {@link NpyArray#toCanonical()} first where equal values must give equal blob ids.
 */
public final class TensorArchive {
    static final String MAGIC = "CALLOSUM-TENSORS";
    static final int VERSION = 1;
    private static final byte[] MAGIC_LINE = (MAGIC + " " + VERSION + "\n").getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_MAGIC_LINE = 32;

    private TensorArchive() {
    }

    /** Streams {@code set} to {@code out}; element data goes through in small pieces, never copied whole. */
    public static void write(TensorSet set, OutputStream out) throws IOException {
        out.write(MAGIC_LINE);
        byte[] manifest = manifestBytes(set);
        writeLength(out, manifest.length);
        out.write(manifest);
        for (NamedTensor tensor : set) {
            writeLength(out, npySize(tensor.array()));
            NpyCodec.write(tensor.array(), out);
        }
    }

    /** The exact size {@link #write} produces. */
    public static long byteSize(TensorSet set) {
        long size = MAGIC_LINE.length + Long.BYTES + manifestBytes(set).length;
        for (NamedTensor tensor : set) {
            size += Long.BYTES + npySize(tensor.array());
        }
        return size;
    }

    /** Writes {@code set} straight into {@code store}; the archive becomes a blob only once complete. */
    public static BlobId store(TensorSet set, BlobStore store) throws IOException {
        try (BlobWriter writer = store.newWriter()) {
            write(set, writer);
            return writer.commit();
        }
    }

    /**
     * Reads an archive whose arrays are read-only memory-mapped views of {@code file}: nothing is loaded into the
     * heap, and the set may exceed 2 GiB as long as each tensor stays below it.
     */
    public static TensorSet read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ArchiveCursor cursor = new ArchiveCursor(file, channel);
            TensorManifest manifest = readManifest(cursor);
            List<NamedTensor> tensors = new ArrayList<>(manifest.size());
            for (int i = 0; i < manifest.size(); i++) {
                TensorSpec spec = manifest.specs().get(i);
                String which = "tensor #" + i + " '" + spec.name() + "'";
                long length = cursor.readLength(which);
                if (length > Integer.MAX_VALUE) {
                    throw cursor.error(which + " is " + length + " bytes; a tensor must stay below 2 GiB");
                }
                tensors.add(new NamedTensor(spec.name(), spec.modality(), decode(cursor, cursor.map(length, which), spec, which)));
            }
            cursor.requireEnd();
            return TensorSet.of(tensors);
        }
    }

    /** The names, modalities, dtypes and shapes in {@code file}, without touching the element data. */
    public static TensorManifest manifest(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return readManifest(new ArchiveCursor(file, channel));
        }
    }

    private static TensorManifest readManifest(ArchiveCursor cursor) throws IOException {
        checkMagic(cursor);
        long length = cursor.readLength("the manifest");
        if (length > Integer.MAX_VALUE) {
            throw cursor.error("the manifest declares " + length + " bytes, more than a manifest can be");
        }
        ByteBuffer text = cursor.read((int) length, "the manifest");
        try {
            return TensorManifest.parse(StandardCharsets.UTF_8.decode(text).toString());
        } catch (IllegalArgumentException e) {
            throw cursor.error("bad manifest: " + e.getMessage());
        }
    }

    private static void checkMagic(ArchiveCursor cursor) throws IOException {
        ByteBuffer start = cursor.peek(MAX_MAGIC_LINE);
        String head = StandardCharsets.ISO_8859_1.decode(start).toString();
        int newline = head.indexOf('\n');
        String[] magicAndVersion = (newline < 0 ? head : head.substring(0, newline)).split(" ", -1);
        if (newline < 0 || magicAndVersion.length != 2 || !magicAndVersion[0].equals(MAGIC)) {
            throw cursor.error("not a Callosum tensor archive: it does not start with '" + MAGIC + " " + VERSION + "'");
        }
        if (!magicAndVersion[1].equals(Integer.toString(VERSION))) {
            throw cursor.error("tensor archive format version '" + magicAndVersion[1] + "' is not supported (only "
                    + VERSION + ")");
        }
        cursor.skip(newline + 1);
    }

    private static NpyArray decode(ArchiveCursor cursor, ByteBuffer npy, TensorSpec spec, String which)
            throws IOException {
        NpyArray array;
        try {
            array = NpyCodec.decode(npy);
        } catch (NpyFormatException e) {
            throw cursor.error(which + ": " + e.getMessage());
        }
        if (array.dtype() != spec.dtype() || !array.shape().equals(spec.shape())) {
            throw cursor.error(which + ": the manifest says " + spec.dtype().code() + " " + spec.shape()
                    + " but its .npy header says " + array.dtype().code() + " " + array.shape());
        }
        return array;
    }

    private static byte[] manifestBytes(TensorSet set) {
        return set.manifest().encode().getBytes(StandardCharsets.UTF_8);
    }

    private static long npySize(NpyArray array) {
        return (long) NpyCodec.encodeHeader(array, NpyCodec.versionFor(array)).length + array.byteSize();
    }

    private static void writeLength(OutputStream out, long length) throws IOException {
        out.write(ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(length).array());
    }

    /** A read position in an archive that turns every short read into an error naming the file. */
    private static final class ArchiveCursor {
        private final Path file;
        private final FileChannel channel;
        private final long size;
        private long position;

        ArchiveCursor(Path file, FileChannel channel) throws IOException {
            this.file = file;
            this.channel = channel;
            this.size = channel.size();
        }

        ByteBuffer peek(int atMost) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(atMost, size - position));
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, position + bytes.position()) < 0) {
                    throw error("the file shrank while it was being read");
                }
            }
            return bytes.flip();
        }

        ByteBuffer read(int length, String what) throws IOException {
            requireAvailable(length, what);
            ByteBuffer bytes = peek(length);
            position += length;
            return bytes;
        }

        void skip(long length) {
            position += length;
        }

        long readLength(String what) throws IOException {
            long length = read(Long.BYTES, "the length of " + what).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (length < 0) {
                throw error(what + " declares a length beyond 2^63 bytes");
            }
            return length;
        }

        ByteBuffer map(long length, String what) throws IOException {
            requireAvailable(length, what);
            ByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, position, length);
            position += length;
            return mapped;
        }

        void requireEnd() throws IOException {
            if (position != size) {
                throw error((size - position) + " unexpected bytes after the last tensor");
            }
        }

        TensorArchiveFormatException error(String message) {
            return new TensorArchiveFormatException(file + " (at byte " + position + "): " + message);
        }

        private void requireAvailable(long length, String what) throws IOException {
            if (length > size - position) {
                throw error("truncated: " + what + " needs " + length + " bytes but only " + (size - position)
                        + " remain");
            }
        }
    }
}
