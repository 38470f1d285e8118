package io.callosum.encoders.edf;

import io.callosum.encoders.format.MalformedFileException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EdfRoundTripTest {
    @TempDir
    Path dir;

    private static final EdfSignal FP1 = EdfSignal.of("EEG Fp1", "uV", -500, 500, 128);
    private static final EdfSignal RESP = new EdfSignal("Resp", "thermistor", "mV", -10, 10, -2048, 2047, "HP:0.1Hz", 32);

    private static EdfRecording recording() {
        float[] fp1 = new float[3 * 128];
        for (int i = 0; i < fp1.length; i++) {
            fp1[i] = (float) (100 * Math.sin(2 * Math.PI * 10 * i / 128.0));
        }
        float[] resp = new float[3 * 32];
        for (int i = 0; i < resp.length; i++) {
            resp[i] = (float) (5 * Math.cos(2 * Math.PI * 0.3 * i / 32.0));
        }
        return new EdfRecording("X X X X", "Startdate 25-NOV-2026 X X X", LocalDateTime.of(2026, 11, 25, 9, 30, 5), 1.0,
                3, List.of(new EdfChannel(FP1, fp1), new EdfChannel(RESP, resp)),
                List.of(new EdfAnnotation(0.5, Double.NaN, "eyes closed"),
                        new EdfAnnotation(2.25, 0.5, "Spike Ø")));
    }

    @Test
    void writesAndReadsBackChannelsAtTheirOwnRatesAndAnnotationsApart() throws IOException {
        EdfRecording written = recording();
        Path file = dir.resolve("rec.edf");

        EdfWriter.write(written, file);
        EdfRecording read = EdfReader.read(file);

        assertEquals(written.patient(), read.patient());
        assertEquals(written.recording(), read.recording());
        assertEquals(written.start(), read.start());
        assertEquals(3, read.dataRecords());
        assertEquals(2, read.channels().size(), "the annotation signal is not a data channel");
        assertEquals(written.annotations(), read.annotations());
        for (int c = 0; c < 2; c++) {
            EdfChannel before = written.channels().get(c);
            EdfChannel after = read.channels().get(c);
            assertEquals(before.signal(), after.signal());
            double halfStep = before.signal().gain() / 2 + 1e-6;
            for (int i = 0; i < before.samples().length; i++) {
                assertEquals(before.samples()[i], after.samples()[i], halfStep, "channel " + c + " sample " + i);
            }
        }
        assertEquals(128.0, read.channels().get(0).sampleRate(1.0));
        assertEquals(32.0, read.channels().get(1).sampleRate(1.0));

        Path again = dir.resolve("again.edf");
        EdfWriter.write(read, again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again), "read-then-write reproduces every byte");
        assertEquals(read.channels().get(0).samples()[5], EdfReader.read(again).channels().get(0).samples()[5]);
    }

    @Test
    void headerFieldsSitWhereTheSpecSays() throws IOException {
        Path file = dir.resolve("rec.edf");
        EdfWriter.write(recording(), file);
        String header = new String(Files.readAllBytes(file), 0, 4 * 256, StandardCharsets.US_ASCII);

        assertEquals("0       ", header.substring(0, 8));
        assertEquals("X X X X", header.substring(8, 88).strip());
        assertEquals("25.11.26", header.substring(168, 176));
        assertEquals("09.30.05", header.substring(176, 184));
        assertEquals("1024    ", header.substring(184, 192), "256 * (3 signals + 1)");
        assertEquals("EDF+C", header.substring(192, 236).strip());
        assertEquals("3       ", header.substring(236, 244));
        assertEquals("1       ", header.substring(244, 252));
        assertEquals("3   ", header.substring(252, 256));
        assertEquals("EEG Fp1         Resp            EDF Annotations ", header.substring(256, 304));
        int physicalMin = 256 + 3 * 16 + 3 * 80 + 3 * 8;
        assertEquals("-500    -10     -1      ", header.substring(physicalMin, physicalMin + 24));
        int digitalMin = physicalMin + 2 * 24;
        assertEquals("-32768  -2048   -32768  ", header.substring(digitalMin, digitalMin + 24));
        int samples = digitalMin + 2 * 24 + 3 * 80;
        assertEquals("128     32      ", header.substring(samples, samples + 16));
    }

    @Test
    void refusesMalformedFilesNamingTheField() throws IOException {
        Path good = dir.resolve("good.edf");
        EdfWriter.write(recording(), good);
        byte[] bytes = Files.readAllBytes(good);

        assertRefused(bytes, b -> put(b, 0, "1       "), "version");
        assertRefused(bytes, b -> put(b, 184, "768     "), "number of bytes in header record");
        assertRefused(bytes, b -> put(b, 192, "EDF+D"), "reserved");
        assertRefused(bytes, b -> put(b, 256 + 48 + 240 + 24, "-5x0    "), "signal 1 'EEG Fp1' physical minimum");
        assertRefused(bytes, b -> put(b, 168, "31.02.26"), "startdate/starttime");
        assertRefused(Arrays.copyOf(bytes, bytes.length - 3), b -> { }, "data record 3 of 3");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 10);
        assertRefused(longer, b -> { }, "number of data records");
    }

    private void assertRefused(byte[] good, java.util.function.Consumer<byte[]> corrupt, String field) throws IOException {
        byte[] bytes = good.clone();
        corrupt.accept(bytes);
        Path file = dir.resolve("bad.edf");
        Files.write(file, bytes);
        MalformedFileException refusal = assertThrows(MalformedFileException.class, () -> EdfReader.read(file));
        assertEquals(field, refusal.location(), refusal.getMessage());
        assertTrue(refusal.getMessage().startsWith(file.toString()), refusal.getMessage());
    }

    private static void put(byte[] bytes, int at, String text) {
        byte[] ascii = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(ascii, 0, bytes, at, ascii.length);
    }
}
