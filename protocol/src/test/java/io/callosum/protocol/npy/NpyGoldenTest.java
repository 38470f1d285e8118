package io.callosum.protocol.npy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callosum.protocol.SharedTestData;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every golden file of shared/testdata/npy-golden read, re-written byte for byte, or refused. */
class NpyGoldenTest {
    private static final Path DIR = SharedTestData.dir("npy-golden");

    static List<Named<JsonNode>> goodFiles() throws IOException {
        return entries("files");
    }

    static List<Named<JsonNode>> badFiles() throws IOException {
        return entries("must_reject");
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void readsEachGoodFileAsTheManifestDescribes(JsonNode entry) throws IOException {
        NpyArray array = NpyCodec.read(DIR.resolve(entry.get("file").asText()));

        assertEquals(entry.get("descr").asText(), array.header().descr());
        assertEquals(entry.get("fortran_order").asBoolean(), array.fortranOrder());
        long[] dims = StreamSupport.stream(entry.get("shape").spliterator(), false).mapToLong(JsonNode::asLong).toArray();
        assertEquals(Shape.of(dims), array.shape());
        assertEquals(entry.get("data_bytes").asInt(), array.byteSize());

        JsonNode values = entry.get("values_c_order");
        assertEquals(values.size(), array.elementCount());
        for (int i = 0; i < values.size(); i++) {
            assertValue(values.get(i), array, i);
        }
        assertEquals(entry.get("c_order_le_sha256").asText(), sha256(array.toCanonical().data()));
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void rewritesEachGoodFileByteForByte(JsonNode entry) throws IOException {
        byte[] original = Files.readAllBytes(DIR.resolve(entry.get("file").asText()));
        NpyArray array = NpyCodec.decode(original);
        NpyVersion version = entry.get("npy_version").asText().equals("2.0") ? NpyVersion.V2_0 : NpyVersion.V1_0;

        byte[] header = NpyCodec.encodeHeader(array, version);
        String headerText = new String(header, entry.get("data_offset").asInt() - entry.get("header_len").asInt(),
                entry.get("header_len").asInt(), StandardCharsets.ISO_8859_1);
        assertEquals(entry.get("header_text").asText(), headerText);
        assertEquals(entry.get("data_offset").asInt(), header.length);

        byte[] rewritten = NpyCodec.encode(array, version);
        assertEquals(entry.get("file_sha256").asText(), sha256(ByteBuffer.wrap(rewritten)));
        assertArrayEquals(original, rewritten);
    }

    @ParameterizedTest
    @MethodSource("goodFiles")
    void streamsTheSameBytesItEncodes(JsonNode entry) throws IOException {
        if (!entry.get("npy_version").asText().equals("1.0")) {
            return;
        }
        NpyArray array = NpyCodec.read(DIR.resolve(entry.get("file").asText()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NpyCodec.write(array, out);
        assertArrayEquals(NpyCodec.encode(array), out.toByteArray());
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void refusesEachBadFileSayingWhy(JsonNode entry) {
        Path file = DIR.resolve(entry.get("file").asText());
        NpyFormatException refusal = assertThrows(NpyFormatException.class, () -> NpyCodec.read(file));
        String expected = switch (entry.get("file").asText()) {
            case "bad_object_pickle.npy" -> "object array";
            case "bad_truncated.npy" -> "data holds 43 bytes but shape (3, 4) of <f4 needs 48";
            case "bad_magic.npy" -> "not a .npy array: magic is";
            default -> throw new IllegalStateException("no expectation for " + file);
        };
        assertTrue(refusal.getMessage().contains(expected), refusal.getMessage());
        assertTrue(refusal.getMessage().startsWith(file.toString()), "names the file: " + refusal.getMessage());
    }

    private static void assertValue(JsonNode expected, NpyArray array, int index) {
        if (array.dtype() == DType.BOOL) {
            assertEquals(expected.asBoolean() ? 1 : 0, array.getLong(index));
        } else if (!array.dtype().isFloatingPoint()) {
            assertEquals(expected.asLong(), array.getLong(index), "element " + index);
        } else {
            double value = expected.isTextual() ? Double.parseDouble(expected.asText()
                    .replace("nan", "NaN").replace("inf", "Infinity")) : expected.asDouble();
            assertEquals(Double.doubleToLongBits(value), Double.doubleToLongBits(array.getDouble(index)),
                    "element " + index + ": expected " + value + ", got " + array.getDouble(index));
        }
    }

    private static List<Named<JsonNode>> entries(String key) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(DIR.resolve("manifest.json").toFile());
        return StreamSupport.stream(manifest.get(key).spliterator(), false)
                .map(entry -> Named.of(entry.get("file").asText(), entry))
                .toList();
    }

    static String sha256(ByteBuffer bytes) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(bytes.duplicate());
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
