package io.callosum.protocol.npy;

import io.callosum.protocol.SharedTestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyCodecTest {

    @Test
    void writesAJavaArrayExactlyAsNumpySavesIt() throws IOException {
        float[] values = new float[12];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0.5f - 1.25f;
        }
        byte[] numpy = Files.readAllBytes(SharedTestData.dir("npy-golden").resolve("f32_2d.npy"));

        assertArrayEquals(numpy, NpyCodec.encode(NpyArray.ofFloats(Shape.of(3, 4), values)));
    }

    @Test
    void decodingViewsTheInputWithoutCopying() {
        byte[] encoded = NpyCodec.encode(NpyArray.ofFloats(Shape.of(2), 1f, 2f));
        NpyArray array = NpyCodec.decode(encoded);

        encoded[encoded.length - 4] = 0;
        encoded[encoded.length - 3] = 0;
        encoded[encoded.length - 2] = (byte) 0x40;
        encoded[encoded.length - 1] = (byte) 0x40;

        assertEquals(3.0, array.getDouble(1));
    }

    @Test
    void canonicalFormOfACanonicalArrayIsItself() {
        NpyArray array = NpyArray.ofFloats(Shape.of(2, 2), 1, 2, 3, 4);
        assertSame(array, array.toCanonical());
    }

    @Test
    void picksFormatTwoWhenTheHeaderOutgrowsSixtyFourKilobytes() {
        long[] dims = new long[25_000];
        Arrays.fill(dims, 1);
        NpyArray wide = NpyArray.view(DType.UINT8, new Shape(dims), ByteBuffer.allocate(1));

        byte[] encoded = NpyCodec.encode(wide);

        assertEquals(NpyVersion.V2_0, NpyCodec.versionFor(wide));
        assertEquals(2, encoded[6]);
        assertEquals(0, (encoded.length - 1) % 64);
        assertEquals(wide.shape(), NpyCodec.decode(encoded).shape());
    }

    @Test
    void halfPrecisionCoversSubnormalsInfinityAndNaN() {
        assertEquals(0x1p-24f, NpyArray.halfToFloat((short) 0x0001));
        assertEquals(Float.NEGATIVE_INFINITY, NpyArray.halfToFloat((short) 0xFC00));
        assertTrue(Float.isNaN(NpyArray.halfToFloat((short) 0x7E00)));
        assertEquals(-2.0f, NpyArray.halfToFloat((short) 0xC000));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {'descr': '<f4', 'fortran_order': False}                                   | header keys are
            {'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}        | header keys are
            {'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }         | structured dtypes
            {'descr': '<U5', 'fortran_order': False, 'shape': (2,), }                  | unsupported dtype '<U5'
            {'descr': '<f4', 'fortran_order': 'no', 'shape': (2,), }                   | 'fortran_order' must be True or False
            {'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }               | negative dimension
            {'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }                | 'x' is not an integer
            {'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296), } | overflow
            {'descr': '<f4', 'fortran_order': False, 'shape': (2,), } __import__('os') | unexpected text after
            {'descr': '<f4', 'fortran_order': False, 'shape': (2,)                     | expected ','
            """)
    void refusesMalformedHeadersNamingTheField(String header, String expected) {
        NpyFormatException refusal = assertThrows(NpyFormatException.class, () -> NpyCodec.decode(withHeader(header, 8)));
        assertTrue(refusal.getMessage().contains(expected), refusal.getMessage());
    }

    @Test
    void refusesTrailingBytesAfterTheData() {
        NpyFormatException refusal = assertThrows(NpyFormatException.class, () -> NpyCodec.decode(
                withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 12)));
        assertTrue(refusal.getMessage().contains("data holds 12 bytes but shape (2,) of <f4 needs 8"));
    }

    @Test
    void refusesAHeaderLongerThanTheInput() {
        byte[] bytes = NpyCodec.encode(NpyArray.ofFloats(Shape.of(1), 1f));
        NpyFormatException refusal = assertThrows(NpyFormatException.class,
                () -> NpyCodec.decode(Arrays.copyOf(bytes, 40)));
        assertTrue(refusal.getMessage().contains("truncated .npy header"), refusal.getMessage());
    }

    @Test
    void refusesUnknownFormatVersions() {
        byte[] bytes = NpyCodec.encode(NpyArray.ofFloats(Shape.of(1), 1f));
        bytes[6] = 9;
        NpyFormatException refusal = assertThrows(NpyFormatException.class, () -> NpyCodec.decode(bytes));
        assertTrue(refusal.getMessage().contains("unsupported .npy format version 9.0"), refusal.getMessage());
    }

    private static byte[] withHeader(String dict, int dataBytes) {
        byte[] text = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(10 + text.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        return out.array();
    }
}
