package io.callosum.encoders.omics;

import io.callosum.encoders.format.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OmicsRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void missingValuesStayMaskedThroughAWriteAndARead() throws IOException {
        BitSet missing = new BitSet();
        missing.set(1);
        missing.set(5);
        OmicsMatrix matrix = new OmicsMatrix(List.of("sub-1", "sub-2"), List.of("GENE1", "GENE2", "GENE3"),
                new float[] {1.5f, 0f, -2e-7f, 3.25f, 1e6f, 0f}, missing);
        for (String name : List.of("omics.tsv", "omics.csv.gz")) {
            Path file = dir.resolve(name);
            OmicsWriter.write(matrix, file, "subject_id");

            OmicsMatrix back = OmicsReader.read(file);

            assertEquals(matrix.subjects(), back.subjects());
            assertEquals(matrix.features(), back.features());
            assertEquals(2, back.missingCount());
            assertTrue(back.isMissing(0, 1));
            assertTrue(Float.isNaN(back.value(0, 1)), "a missing value is never a silent zero");
            assertFalse(back.isMissing(1, 0));
            assertArrayEquals(matrix.row(1), back.row(1));
            assertArrayEquals(new boolean[] {true, true, false}, back.observed(1));
        }
        assertEquals("subject_id\tGENE1\tGENE2\tGENE3\nsub-1\t1.5\tNA\t-2.0E-7\nsub-2\t3.25\t1000000.0\tNA\n",
                Files.readString(dir.resolve("omics.tsv")));
    }

    @Test
    void readsEveryMissingSpelling() throws IOException {
        Path file = dir.resolve("spellings.tsv");
        Files.writeString(file, "id\ta\tb\tc\td\ns1\tNA\t\tNaN\t2\n");

        OmicsMatrix matrix = OmicsReader.read(file);

        assertEquals(3, matrix.missingCount());
        assertEquals(2f, matrix.value(0, 3));
    }

    @Test
    void refusesMalformedMatricesNamingLineAndColumn() throws IOException {
        assertRefused("id\tGENE1\tGENE2\ns1\t1\tabc\n", "line 2, column 3 ('GENE2')", "cannot parse 'abc'");
        assertRefused("id\tGENE1\tGENE2\ns1\t1\n", "line 2", "2 cells, the header has 3");
        assertRefused("id\tGENE1\tGENE1\n", "line 1, column 3", "feature 'GENE1' appears twice");
        assertRefused("id\tGENE1\ns1\t1\ns1\t2\n", "line 3, column 1", "subject 's1' already on line 2");
        assertRefused("id\tGENE1\ns1\tInfinity\n", "line 2, column 2 ('GENE1')", "as a finite number");
        assertRefused("", "line 1", "empty file");
    }

    private void assertRefused(String content, String location, String problem) throws IOException {
        Path file = dir.resolve("bad.tsv");
        Files.writeString(file, content);
        MalformedFileException refusal = assertThrows(MalformedFileException.class, () -> OmicsReader.read(file));
        assertEquals(location, refusal.location(), refusal.getMessage());
        assertTrue(refusal.getMessage().contains(problem), refusal.getMessage());
    }
}
