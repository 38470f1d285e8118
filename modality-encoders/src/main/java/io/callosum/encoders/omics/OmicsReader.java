package io.callosum.encoders.omics;

import io.callosum.encoders.format.CompressedFiles;
import io.callosum.encoders.format.MalformedFileException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads an omics matrix from TSV ({@code .tsv}) or CSV ({@code .csv}), optionally gzip-compressed: a header row of
 * feature names after the subject-id column, then one row per subject. {@code NA}, {@code NaN} and empty cells are
 * missing; any other cell that is not a number is refused, naming its line and column.
 */
public final class OmicsReader {
    private static final Set<String> MISSING = Set.of("", "NA", "NaN", "nan", "N/A");

    private OmicsReader() {
    }

    static char separatorOf(Path file) {
        String name = file.getFileName().toString().replaceFirst("\\.gz$", "");
        if (name.endsWith(".tsv") || name.endsWith(".txt")) {
            return '\t';
        }
        if (name.endsWith(".csv")) {
            return ',';
        }
        throw new IllegalArgumentException(file + ": an omics matrix is a .tsv or .csv file");
    }

    public static OmicsMatrix read(Path file) throws IOException {
        Pattern separator = Pattern.compile(Pattern.quote(String.valueOf(separatorOf(file))));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(CompressedFiles.open(file),
                StandardCharsets.UTF_8))) {
            String headerLine = lines.readLine();
            if (headerLine == null) {
                throw new MalformedFileException(file, "line 1", "empty file: expected a header row");
            }
            String[] header = separator.split(headerLine, -1);
            if (header.length < 2) {
                throw new MalformedFileException(file, "line 1", "the header names no features");
            }
            List<String> features = Arrays.asList(header).subList(1, header.length);
            Map<String, Integer> seen = new HashMap<>();
            for (int c = 0; c < features.size(); c++) {
                String feature = features.get(c).strip();
                if (feature.isEmpty() || seen.putIfAbsent(feature, c) != null) {
                    throw new MalformedFileException(file, "line 1, column " + (c + 2),
                            feature.isEmpty() ? "empty feature name" : "feature '" + feature + "' appears twice");
                }
            }
            List<String> subjects = new ArrayList<>();
            FloatList values = new FloatList();
            BitSet missing = new BitSet();
            Map<String, Integer> subjectLines = new HashMap<>();
            int lineNumber = 1;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] cells = separator.split(line, -1);
                if (cells.length != header.length) {
                    throw new MalformedFileException(file, "line " + lineNumber, cells.length + " cells, the header has "
                            + header.length);
                }
                String subject = cells[0].strip();
                Integer earlier = subjectLines.putIfAbsent(subject, lineNumber);
                if (subject.isEmpty() || earlier != null) {
                    throw new MalformedFileException(file, "line " + lineNumber + ", column 1", subject.isEmpty()
                            ? "empty subject id" : "subject '" + subject + "' already on line " + earlier);
                }
                subjects.add(subject);
                for (int c = 1; c < cells.length; c++) {
                    String cell = cells[c].strip();
                    if (MISSING.contains(cell)) {
                        missing.set(values.size());
                        values.add(Float.NaN);
                        continue;
                    }
                    try {
                        float value = Float.parseFloat(cell);
                        if (!Float.isFinite(value)) {
                            throw new NumberFormatException();
                        }
                        values.add(value);
                    } catch (NumberFormatException e) {
                        throw new MalformedFileException(file, "line " + lineNumber + ", column " + (c + 1) + " ('"
                                + header[c].strip() + "')", "cannot parse '" + cell + "' as a finite number");
                    }
                }
            }
            return new OmicsMatrix(subjects, features.stream().map(String::strip).toList(), values.toArray(), missing);
        }
    }

    /** A growable float array: a matrix of thousands of features would box millions of Floats otherwise. */
    private static final class FloatList {
        private float[] data = new float[1024];
        private int size;

        void add(float value) {
            if (size == data.length) {
                data = Arrays.copyOf(data, size * 2);
            }
            data[size++] = value;
        }

        int size() {
            return size;
        }

        float[] toArray() {
            return Arrays.copyOf(data, size);
        }
    }
}
