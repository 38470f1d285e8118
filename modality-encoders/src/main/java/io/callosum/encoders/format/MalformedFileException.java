package io.callosum.encoders.format;

import java.io.IOException;
import java.nio.file.Path;

/** A data file that does not conform to its format; the message names the file and the field, line or column. */
public class MalformedFileException extends IOException {
    private final Path file;
    private final String location;

    public MalformedFileException(Path file, String location, String problem) {
        super(file + ": " + location + ": " + problem);
        this.file = file;
        this.location = location;
    }

    public Path file() {
        return file;
    }

    /** The field, line or column at fault, e.g. {@code sizeof_hdr} or {@code line 7, column 'GENE12'}. */
    public String location() {
        return location;
    }
}
