package io.callosum.encoders.nifti;

import io.callosum.encoders.format.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NiftiRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void aGzipVolumeReadsBackIdentical() throws IOException {
        NiftiImage image = new NiftiImage(NiftiHeader.float32(new int[] {4, 3, 2}, new float[] {1f, 1f, 1.5f}, "t1w"),
                ramp(24, 0.25f));
        Path file = dir.resolve("t1w.nii.gz");

        NiftiWriter.write(image, file);
        NiftiImage back = NiftiReader.read(file);

        assertEquals(image.header(), back.header());
        assertArrayEquals(image.voxels(), back.voxels());
        assertEquals(image.voxel(3, 2, 1), back.voxels()[23]);
    }

    @ParameterizedTest
    @EnumSource(NiftiDataType.class)
    void everyDataTypeAndBothByteOrdersRoundTrip(NiftiDataType type) throws IOException {
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            NiftiHeader header = new NiftiHeader(order, new int[] {3, 2, 2, 2}, new float[] {2f, 2f, 2f, 0.8f}, type,
                    NiftiHeader.MIN_VOX_OFFSET, 0f, 0f, "4-D " + type);
            NiftiImage image = new NiftiImage(header, ramp(24, 1f));
            Path file = dir.resolve(type + "-" + order + ".nii");

            NiftiWriter.write(image, file);

            assertEquals(352 + 24L * type.bytes(), Files.size(file));
            NiftiImage back = NiftiReader.read(file);
            assertEquals(header, back.header());
            assertArrayEquals(image.voxels(), back.voxels());
        }
    }

    @Test
    void scalesStoredIntegersBySlopeAndIntercept() throws IOException {
        NiftiHeader header = new NiftiHeader(ByteOrder.LITTLE_ENDIAN, new int[] {4}, new float[] {1f},
                NiftiDataType.INT16, 352, 0.5f, 10f, "scaled");
        Path file = dir.resolve("scaled.nii");
        NiftiWriter.write(new NiftiImage(header, new float[] {10f, 10.5f, 12f, -5f}), file);

        ByteBuffer stored = ByteBuffer.wrap(Files.readAllBytes(file), 352, 8).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0, stored.getShort());
        assertEquals(1, stored.getShort());
        assertEquals(4, stored.getShort());
        assertEquals(-30, stored.getShort());
        assertArrayEquals(new float[] {10f, 10.5f, 12f, -5f}, NiftiReader.read(file).voxels());
    }

    @Test
    void headerFieldsSitWhereTheSpecSays() {
        byte[] hdr = NiftiWriter.encodeHeader(NiftiHeader.float32(new int[] {32, 32, 32}, new float[] {1f, 1f, 1.5f}, "x"));

        assertEquals(348, hdr.length);
        assertEquals("5c010000", hex(hdr, 0, 4), "sizeof_hdr 348");
        assertEquals("0300200020002000010001000100", hex(hdr, 40, 14), "dim = 3, 32, 32, 32, 1, 1, 1");
        assertEquals("1000", hex(hdr, 70, 2), "datatype 16 (float32)");
        assertEquals("2000", hex(hdr, 72, 2), "bitpix 32");
        assertEquals("0000803f" + "0000803f" + "0000803f" + "0000c03f", hex(hdr, 76, 16), "pixdim 1 (qfac), 1, 1, 1.5");
        assertEquals("0000b043", hex(hdr, 108, 4), "vox_offset 352.0");
        assertEquals("0000803f00000000", hex(hdr, 112, 8), "scl_slope 1, scl_inter 0");
        assertEquals("0a", hex(hdr, 123, 1), "xyzt_units mm + s");
        assertEquals("78", hex(hdr, 148, 1), "descrip");
        assertEquals("00000100", hex(hdr, 252, 4), "qform_code 0, sform_code 1");
        assertEquals("0000803f", hex(hdr, 280, 4), "srow_x[0]");
        assertEquals("0000c03f", hex(hdr, 320, 4), "srow_z[2]");
        assertEquals("6e2b3100", hex(hdr, 344, 4), "magic n+1");
    }

    @Test
    void refusesMalformedFilesNamingTheField() throws IOException {
        NiftiImage image = new NiftiImage(NiftiHeader.float32(new int[] {2, 2, 2}, new float[] {1, 1, 1}, ""),
                ramp(8, 1f));
        Path good = dir.resolve("good.nii");
        NiftiWriter.write(image, good);
        byte[] bytes = Files.readAllBytes(good);

        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 540), "sizeof_hdr");
        assertRefused(bytes, b -> b[345] = 'x', "magic");
        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(40, (short) 9), "dim[0]");
        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(70, (short) 128), "datatype");
        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(72, (short) 16), "bitpix");
        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(108, 100f), "vox_offset");
        assertRefused(bytes, b -> ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(44, (short) 3), "dim");

        Path truncated = dir.resolve("truncated.nii");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 5));
        MalformedFileException refusal = assertThrows(MalformedFileException.class, () -> NiftiReader.read(truncated));
        assertTrue(refusal.getMessage().contains("need 32 bytes after vox_offset, the file holds 27"), refusal.getMessage());
        Path shortHeader = dir.resolve("short.nii");
        Files.write(shortHeader, Arrays.copyOf(bytes, 100));
        assertEquals("header", assertThrows(MalformedFileException.class, () -> NiftiReader.read(shortHeader)).location());
    }

    private void assertRefused(byte[] good, Consumer<byte[]> corrupt, String field) throws IOException {
        byte[] bytes = good.clone();
        corrupt.accept(bytes);
        Path file = dir.resolve("bad-" + field.replaceAll("\\W", "") + ".nii");
        Files.write(file, bytes);
        MalformedFileException refusal = assertThrows(MalformedFileException.class, () -> NiftiReader.read(file));
        assertEquals(field, refusal.location(), refusal.getMessage());
        assertTrue(refusal.getMessage().startsWith(file.toString()), refusal.getMessage());
    }

    private static float[] ramp(int n, float step) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = i * step;
        }
        return values;
    }

    private static String hex(byte[] bytes, int from, int length) {
        return HexFormat.of().formatHex(bytes, from, from + length);
    }
}
