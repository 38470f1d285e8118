package io.callosum.encoders.data;

import io.callosum.encoders.format.MalformedFileException;
import io.callosum.protocol.tensor.Modality;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A site's data directory as {@code subjects.tsv} describes it: columns {@code subject_id}, one per modality
 * ({@code imaging}, {@code eeg}, {@code omics}; a path relative to the directory, or empty) and optionally
 * {@code diagnosis}. Paths must stay inside the directory.
 */
public record SiteCatalog(Path dir, List<SubjectEntry> subjects) {
    public static final String FILE = "subjects.tsv";

    public static SiteCatalog read(Path dir) throws IOException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new MalformedFileException(file, "file", "missing: a site directory needs " + FILE);
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new MalformedFileException(file, "line 1", "empty: expected a header row");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        if (!header.get(0).equals("subject_id")) {
            throw new MalformedFileException(file, "line 1, column 1", "is '" + header.get(0) + "', expected subject_id");
        }
        int diagnosisColumn = header.indexOf("diagnosis");
        Map<Modality, Integer> modalityColumns = new EnumMap<>(Modality.class);
        for (Modality modality : List.of(Modality.IMAGING, Modality.EEG, Modality.OMICS)) {
            int column = header.indexOf(modality.tag());
            if (column > 0) {
                modalityColumns.put(modality, column);
            }
        }
        Path root = dir.toAbsolutePath().normalize();
        List<SubjectEntry> subjects = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) {
                continue;
            }
            String[] cells = lines.get(n).split("\t", -1);
            String where = "line " + (n + 1);
            if (cells.length != header.size()) {
                throw new MalformedFileException(file, where, cells.length + " cells, the header has " + header.size());
            }
            if (cells[0].isBlank() || !ids.add(cells[0])) {
                throw new MalformedFileException(file, where + ", column 1", cells[0].isBlank() ? "empty subject id"
                        : "subject '" + cells[0] + "' appears twice");
            }
            Map<Modality, Path> files = new EnumMap<>(Modality.class);
            for (Map.Entry<Modality, Integer> column : modalityColumns.entrySet()) {
                String cell = cells[column.getValue()].strip();
                if (!cell.isEmpty()) {
                    Path path = root.resolve(cell).normalize();
                    if (!path.startsWith(root)) {
                        throw new MalformedFileException(file, where + ", column '" + column.getKey() + "'",
                                "'" + cell + "' points outside the site directory");
                    }
                    files.put(column.getKey(), path);
                }
            }
            OptionalInt diagnosis = OptionalInt.empty();
            if (diagnosisColumn > 0 && !cells[diagnosisColumn].isBlank()) {
                try {
                    diagnosis = OptionalInt.of(Integer.parseInt(cells[diagnosisColumn].strip()));
                } catch (NumberFormatException e) {
                    throw new MalformedFileException(file, where + ", column 'diagnosis'", "'" + cells[diagnosisColumn]
                            + "' is not a class number");
                }
            }
            subjects.add(new SubjectEntry(cells[0], files, diagnosis));
        }
        return new SiteCatalog(dir, List.copyOf(subjects));
    }

    public List<SubjectEntry> with(Modality modality) {
        return subjects.stream().filter(s -> s.file(modality).isPresent()).toList();
    }
}
