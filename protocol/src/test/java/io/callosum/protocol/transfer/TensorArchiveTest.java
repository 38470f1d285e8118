package io.callosum.protocol.transfer;

import io.callosum.protocol.npy.DType;
import io.callosum.protocol.npy.NpyHeader;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorArchiveTest {
    @TempDir
    Path dir;

    /** Little-endian C order, big-endian, Fortran order, a 0-d scalar and an empty tensor, across modalities. */
    static TensorSet mixedLayouts() {
        return TestTensors.of(
                new NamedTensor("imaging/patch.weight", Modality.IMAGING, TestTensors.randomFloats(1, 16, 8)),
                new NamedTensor("eeg/bias", Modality.EEG, TestTensors.randomArray(2,
                        new NpyHeader(DType.INT32, ByteOrder.BIG_ENDIAN, false, Shape.of(5)))),
                new NamedTensor("omics/proj", Modality.OMICS, TestTensors.randomArray(3,
                        new NpyHeader(DType.FLOAT64, ByteOrder.LITTLE_ENDIAN, true, Shape.of(3, 4, 2)))),
                new NamedTensor("shared/temperature", Modality.SHARED, TestTensors.randomArray(4,
                        new NpyHeader(DType.FLOAT16, ByteOrder.BIG_ENDIAN, true, Shape.of()))),
                new NamedTensor("shared/empty", Modality.SHARED, TestTensors.randomFloats(5, 0, 3)));
    }

    @Test
    void roundTripKeepsNamesModalitiesLayoutsAndValues() throws IOException {
        TensorSet set = mixedLayouts();
        Path file = write(set);

        TensorSet read = TensorArchive.read(file);

        assertEquals(TensorArchive.byteSize(set), Files.size(file));
        TestTensors.assertSameTensors(set, read);
        assertTrue(read.get("eeg/bias").orElseThrow().array().byteOrder() == ByteOrder.BIG_ENDIAN);
        assertTrue(read.get("omics/proj").orElseThrow().array().fortranOrder());
        assertArrayEquals(set.get("omics/proj").orElseThrow().array().toFloatArray(),
                read.get("omics/proj").orElseThrow().array().toFloatArray());
        assertEquals(set.manifest(), TensorArchive.manifest(file));
    }

    @Test
    void readArraysAreMemoryMappedViewsOfTheFile() throws IOException {
        TensorSet read = TensorArchive.read(write(mixedLayouts()));

        for (NamedTensor tensor : read) {
            assertTrue(tensor.array().data().isDirect(), tensor.name() + " is mapped, not copied into the heap");
        }
    }

    @Test
    void eachTensorIsStoredAsAValidNpyFileAfterItsLength() throws IOException {
        Path file = write(mixedLayouts());
        byte[] bytes = Files.readAllBytes(file);

        assertTrue(new String(bytes, 0, 19, StandardCharsets.US_ASCII).equals("CALLOSUM-TENSORS 1\n"));
        int npyStart = indexOf(bytes, new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'});
        assertTrue(npyStart > 19 + Long.BYTES, "the .npy follows the manifest");
    }

    @Test
    void refusesAFileWithoutTheMagicNamingTheFile() throws IOException {
        Path file = Files.write(dir.resolve("model.npz"), "PK\u0003\u0004 not an archive\n".getBytes(StandardCharsets.ISO_8859_1));

        TensorArchiveFormatException refused = assertThrows(TensorArchiveFormatException.class,
                () -> TensorArchive.read(file));

        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("not a Callosum tensor archive"), refused.getMessage());
    }

    @Test
    void refusesAnUnknownFormatVersion() throws IOException {
        byte[] bytes = Files.readAllBytes(write(mixedLayouts()));
        bytes[17] = '2';
        Path file = Files.write(dir.resolve("future.tensors"), bytes);

        TensorArchiveFormatException refused = assertThrows(TensorArchiveFormatException.class,
                () -> TensorArchive.manifest(file));

        assertTrue(refused.getMessage().contains("version '2'"), refused.getMessage());
    }

    @Test
    void refusesATruncatedArchiveNamingTheTensorCutOff() throws IOException {
        byte[] bytes = Files.readAllBytes(write(mixedLayouts()));
        Path file = Files.write(dir.resolve("cut.tensors"), Arrays.copyOf(bytes, bytes.length - 10));

        TensorArchiveFormatException refused = assertThrows(TensorArchiveFormatException.class,
                () -> TensorArchive.read(file));

        assertTrue(refused.getMessage().contains(file.toString()), refused.getMessage());
        assertTrue(refused.getMessage().contains("truncated"), refused.getMessage());
        assertTrue(refused.getMessage().contains("'shared/empty'"), refused.getMessage());
    }

    @Test
    void refusesTrailingBytes() throws IOException {
        byte[] bytes = Files.readAllBytes(write(mixedLayouts()));
        Path file = Files.write(dir.resolve("long.tensors"), Arrays.copyOf(bytes, bytes.length + 3));

        TensorArchiveFormatException refused = assertThrows(TensorArchiveFormatException.class,
                () -> TensorArchive.read(file));

        assertTrue(refused.getMessage().contains("3 unexpected bytes after the last tensor"), refused.getMessage());
    }

    @Test
    void refusesAManifestThatDisagreesWithTheNpyHeader() throws IOException {
        byte[] bytes = Files.readAllBytes(write(mixedLayouts()));
        byte[] dims = "\t16x8\n".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(bytes, dims);
        System.arraycopy("\t8x16\n".getBytes(StandardCharsets.US_ASCII), 0, bytes, at, dims.length);
        Path file = Files.write(dir.resolve("lying.tensors"), bytes);

        TensorArchiveFormatException refused = assertThrows(TensorArchiveFormatException.class,
                () -> TensorArchive.read(file));

        assertTrue(refused.getMessage().contains("tensor #0 'imaging/patch.weight'"), refused.getMessage());
        assertTrue(refused.getMessage().contains("manifest says f4 (8, 16) but its .npy header says f4 (16, 8)"),
                refused.getMessage());
    }

    @Test
    void storeWritesTheArchiveAsOneBlob() throws IOException {
        TensorSet set = mixedLayouts();
        FileBlobStore store = new FileBlobStore(dir.resolve("store"));

        BlobId id = TensorArchive.store(set, store);

        assertEquals(Sha256.of(write(set)), id);
        TestTensors.assertSameTensors(set, TensorArchive.read(store.path(id)));
    }

    private Path write(TensorSet set) throws IOException {
        Path file = Files.createTempFile(dir, "set-", ".tensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            TensorArchive.write(set, out);
        }
        return file;
    }

    private static int indexOf(byte[] bytes, byte[] pattern) {
        for (int i = 0; i + pattern.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + pattern.length, pattern, 0, pattern.length)) {
                return i;
            }
        }
        throw new AssertionError("pattern not found");
    }
}
