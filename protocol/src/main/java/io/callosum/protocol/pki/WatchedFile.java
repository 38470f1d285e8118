package io.callosum.protocol.pki;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * A file parsed again whenever it changes, checked at each use: this is how a revocation written by
 * {@code ./callosum provision revoke} reaches a running coordinator without a restart. The change test is cheap (one
 * stat) and also catches a rename over the file within the same clock tick, since that gives a new file key.
 */
final class WatchedFile<T> {
    interface Parser<T> {
        T parse(Path file) throws IOException, GeneralSecurityException;
    }

    private record Stamp(FileTime modified, long size, Object fileKey) {
    }

    private final Path file;
    private final Parser<T> parser;
    private Stamp stamp;
    private T value;

    WatchedFile(Path file, Parser<T> parser) {
        this.file = file;
        this.parser = parser;
    }

    Path file() {
        return file;
    }

    /** The file's current content; a file that has become unreadable fails here rather than leaving the old value. */
    synchronized T current() throws IOException, GeneralSecurityException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        Stamp now = new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        if (!Objects.equals(now, stamp)) {
            stamp = null;
            value = parser.parse(file);
            stamp = now;
        }
        return value;
    }
}
