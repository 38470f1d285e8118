package io.callosum.encoders.data;

import io.callosum.encoders.format.MalformedFileException;
import io.callosum.encoders.synth.CohortGenerator;
import io.callosum.encoders.synth.CohortSpec;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteCatalogTest {
    @TempDir
    Path dir;

    @Test
    void loadsEachModalityAsNormalizedInputsWithMasksForMissingOmics() throws IOException {
        new CohortGenerator(new CohortSpec(6, 1, 2, 16, 2, 64, 60, 3)).write(dir, n -> { });
        SiteCatalog catalog = SiteCatalog.read(dir.resolve("site-01"));

        ModalityDataset imaging = DatasetLoader.load(catalog, Modality.IMAGING);
        ModalityDataset eeg = DatasetLoader.load(catalog, Modality.EEG);
        ModalityDataset omics = DatasetLoader.load(catalog, Modality.OMICS);

        assertEquals(new InputGeometry.Volume(16), imaging.geometry());
        assertEquals(4096, imaging.inputLength());
        assertEquals(0, mean(imaging.inputs()[0]), 1e-4, "per-volume z-score");
        assertEquals(new InputGeometry.Montage(19, 128), eeg.geometry());
        assertEquals(120, omics.inputLength(), "60 values and 60 masks");
        assertTrue(imaging.labelled());
        for (float[] row : omics.inputs()) {
            for (int c = 0; c < 60; c++) {
                if (row[60 + c] == 0f) {
                    assertEquals(0f, row[c], "a missing value enters as 0 with its mask at 0");
                }
            }
        }
    }

    @Test
    void refusesCatalogsThatEscapeTheSiteDirectoryOrRepeatSubjects() throws IOException {
        Files.writeString(dir.resolve("subjects.tsv"), "subject_id\timaging\tdiagnosis\ns1\t../../etc/passwd\t0\n");
        MalformedFileException escape = assertThrows(MalformedFileException.class, () -> SiteCatalog.read(dir));
        assertEquals("line 2, column 'imaging'", escape.location());

        Files.writeString(dir.resolve("subjects.tsv"), "subject_id\tdiagnosis\ns1\t0\ns1\t1\n");
        assertTrue(assertThrows(MalformedFileException.class, () -> SiteCatalog.read(dir)).getMessage()
                .contains("subject 's1' appears twice"));

        Files.writeString(dir.resolve("subjects.tsv"), "subject_id\tdiagnosis\ns1\tsevere\n");
        assertEquals("line 2, column 'diagnosis'",
                assertThrows(MalformedFileException.class, () -> SiteCatalog.read(dir)).location());
    }

    @Test
    void namesTheOmicsFileThatLacksASubject() throws IOException {
        Files.createDirectories(dir.resolve("omics"));
        Files.writeString(dir.resolve("omics/omics.tsv"), "subject_id\tGENE1\ns2\t1.0\n");
        Files.writeString(dir.resolve("subjects.tsv"), "subject_id\tomics\tdiagnosis\ns1\tomics/omics.tsv\t0\n");

        MalformedFileException refusal = assertThrows(MalformedFileException.class,
                () -> DatasetLoader.load(SiteCatalog.read(dir), Modality.OMICS));
        assertTrue(refusal.getMessage().contains("omics.tsv: column 1: no row for subject 's1'"), refusal.getMessage());
    }

    private static double mean(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
