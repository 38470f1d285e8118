package io.callosum.encoders.format;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Opens a file for streaming, through gzip when its name ends in {@code .gz}. */
public final class CompressedFiles {
    private static final int BUFFER = 1 << 16;

    private CompressedFiles() {
    }

    public static boolean isGzip(Path file) {
        return file.getFileName().toString().endsWith(".gz");
    }

    public static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        return isGzip(file) ? new GZIPInputStream(raw, BUFFER) : raw;
    }

    public static OutputStream create(Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), BUFFER);
        return isGzip(file) ? new GZIPOutputStream(raw, BUFFER) : raw;
    }
}
