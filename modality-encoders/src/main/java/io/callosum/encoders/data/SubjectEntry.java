package io.callosum.encoders.data;

import io.callosum.protocol.tensor.Modality;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** One row of a site's {@code subjects.tsv}: the subject's files per modality and, where known, its diagnosis. */
public record SubjectEntry(String id, Map<Modality, Path> files, OptionalInt diagnosis) {

    public Optional<Path> file(Modality modality) {
        return Optional.ofNullable(files.get(modality));
    }
}
