package io.callosum.protocol.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads and writes numpy's {@code .npy} format, byte-identical to {@code numpy.save(..., allow_pickle=False)}:
 * the form in which Flower carries every tensor. Object (pickled) arrays are always refused.
 */
public final class NpyCodec {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ARRAY_ALIGN = 64;

    private NpyCodec() {
    }

    /** Decodes {@code bytes} (position to limit) without copying the element data. */
    public static NpyArray decode(ByteBuffer bytes) {
        ByteBuffer in = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < MAGIC.length + 2) {
            throw new NpyFormatException("not a .npy array: only " + in.remaining() + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get(i) != MAGIC[i]) {
                throw new NpyFormatException("not a .npy array: magic is " + hex(in, MAGIC.length)
                        + ", expected 93 4e 55 4d 50 59 (\\x93NUMPY)");
            }
        }
        NpyVersion version = NpyVersion.of(Byte.toUnsignedInt(in.get(6)), Byte.toUnsignedInt(in.get(7)));
        int lengthAt = MAGIC.length + 2;
        if (in.remaining() < lengthAt + version.lengthFieldSize()) {
            throw new NpyFormatException("truncated .npy header: the header-length field is cut off");
        }
        long headerLength = version.lengthFieldSize() == 2
                ? Short.toUnsignedLong(in.getShort(lengthAt))
                : Integer.toUnsignedLong(in.getInt(lengthAt));
        int headerStart = lengthAt + version.lengthFieldSize();
        if (headerStart + headerLength > in.remaining()) {
            throw new NpyFormatException("truncated .npy header: it declares " + headerLength
                    + " bytes but only " + (in.remaining() - headerStart) + " follow");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        in.get(headerStart, headerBytes);
        NpyHeader header = NpyHeader.parse(new String(headerBytes, version.headerCharset()));
        int dataStart = Math.toIntExact(headerStart + headerLength);
        return NpyArray.view(header, in.position(dataStart));
    }

    public static NpyArray decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** Maps {@code file} into memory and decodes it; the array stays valid after the file is closed. */
    public static NpyArray read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return decode(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        } catch (NpyFormatException e) {
            throw new NpyFormatException(file + ": " + e.getMessage());
        }
    }

    /** The smallest version whose header-length field fits this array's header, as numpy chooses. */
    public static NpyVersion versionFor(NpyArray array) {
        return paddedHeaderLength(array.header().render(), NpyVersion.V1_0) <= NpyVersion.V1_0.maxHeaderLength()
                ? NpyVersion.V1_0 : NpyVersion.V2_0;
    }

    /** Magic, version, header length and padded header: everything before the element data. */
    public static byte[] encodeHeader(NpyArray array, NpyVersion version) {
        String dict = array.header().render();
        long padded = paddedHeaderLength(dict, version);
        if (padded > version.maxHeaderLength()) {
            throw new NpyFormatException("header of " + padded + " bytes does not fit format " + version);
        }
        int prefix = MAGIC.length + 2 + version.lengthFieldSize();
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(prefix + padded)).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) version.major()).put((byte) 0);
        if (version.lengthFieldSize() == 2) {
            out.putShort((short) padded);
        } else {
            out.putInt((int) padded);
        }
        byte[] dictBytes = dict.getBytes(version.headerCharset());
        out.put(dictBytes);
        while (out.position() < out.capacity() - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    public static byte[] encode(NpyArray array) {
        return encode(array, versionFor(array));
    }

    /** The whole {@code .npy} file in one array: the element data is copied exactly once. */
    public static byte[] encode(NpyArray array, NpyVersion version) {
        byte[] header = encodeHeader(array, version);
        byte[] out = new byte[Math.addExact(header.length, array.byteSize())];
        System.arraycopy(header, 0, out, 0, header.length);
        array.data().get(out, header.length, array.byteSize());
        return out;
    }

    public static void write(NpyArray array, OutputStream out) throws IOException {
        out.write(encodeHeader(array, versionFor(array)));
        ByteBuffer data = array.data();
        byte[] chunk = new byte[Math.min(1 << 20, Math.max(1, data.remaining()))];
        while (data.hasRemaining()) {
            int n = Math.min(chunk.length, data.remaining());
            data.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    /** numpy pads with spaces and a newline so that the element data starts on a 64-byte boundary. */
    private static long paddedHeaderLength(String dict, NpyVersion version) {
        int prefix = MAGIC.length + 2 + version.lengthFieldSize();
        long withNewline = dict.getBytes(StandardCharsets.UTF_8).length + 1L;
        long padding = ARRAY_ALIGN - ((prefix + withNewline) % ARRAY_ALIGN);
        return withNewline + padding;
    }

    private static String hex(ByteBuffer in, int count) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(String.format("%02x", in.get(i)));
        }
        return out.toString();
    }
}
