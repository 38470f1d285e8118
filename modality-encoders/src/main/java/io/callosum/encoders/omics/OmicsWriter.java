package io.callosum.encoders.omics;

import io.callosum.encoders.format.CompressedFiles;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Writes an omics matrix as TSV or CSV (by extension); missing cells are written {@code NA}. */
public final class OmicsWriter {
    private OmicsWriter() {
    }

    public static void write(OmicsMatrix matrix, Path file, String idColumn) throws IOException {
        String separator = String.valueOf(OmicsReader.separatorOf(file));
        try (BufferedWriter out = new BufferedWriter(new OutputStreamWriter(CompressedFiles.create(file),
                StandardCharsets.UTF_8))) {
            out.write(idColumn);
            for (String feature : matrix.features()) {
                out.write(separator);
                out.write(feature);
            }
            out.write('\n');
            for (int r = 0; r < matrix.subjects().size(); r++) {
                out.write(matrix.subjects().get(r));
                for (int c = 0; c < matrix.features().size(); c++) {
                    out.write(separator);
                    out.write(matrix.isMissing(r, c) ? "NA" : Float.toString(matrix.value(r, c)));
                }
                out.write('\n');
            }
        }
    }
}
