package io.callosum.protocol.npy;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** {@code .npy} format versions: they differ in the width of the header-length field and the header's charset. */
public enum NpyVersion {
    V1_0(1, 2, StandardCharsets.ISO_8859_1),
    V2_0(2, 4, StandardCharsets.ISO_8859_1),
    V3_0(3, 4, StandardCharsets.UTF_8);

    private final int major;
    private final int lengthFieldSize;
    private final Charset headerCharset;

    NpyVersion(int major, int lengthFieldSize, Charset headerCharset) {
        this.major = major;
        this.lengthFieldSize = lengthFieldSize;
        this.headerCharset = headerCharset;
    }

    public int major() {
        return major;
    }

    int lengthFieldSize() {
        return lengthFieldSize;
    }

    Charset headerCharset() {
        return headerCharset;
    }

    long maxHeaderLength() {
        return lengthFieldSize == 2 ? 0xFFFF : 0xFFFF_FFFFL;
    }

    static NpyVersion of(int major, int minor) {
        for (NpyVersion version : values()) {
            if (version.major == major && minor == 0) {
                return version;
            }
        }
        throw new NpyFormatException("unsupported .npy format version " + major + "." + minor
                + " (supported: 1.0, 2.0, 3.0)");
    }

    @Override
    public String toString() {
        return major + ".0";
    }
}
