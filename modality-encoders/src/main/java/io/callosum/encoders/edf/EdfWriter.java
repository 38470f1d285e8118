package io.callosum.encoders.edf;

import io.callosum.encoders.format.CompressedFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Writes EDF+ continuous ({@code EDF+C}) files: the data channels as 16-bit samples scaled over each signal's
 * physical range, plus an {@code EDF Annotations} signal holding each record's time-keeping TAL and the
 * annotations whose onset falls in that record.
 */
public final class EdfWriter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("dd.MM.yy");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH.mm.ss");

    private EdfWriter() {
    }

    public static void write(EdfRecording recording, Path file) throws IOException {
        List<byte[]> tals = talsPerRecord(recording);
        int talBytes = tals.stream().mapToInt(t -> t.length).max().orElse(0);
        EdfSignal annotations = EdfSignal.annotations(talBytes);
        List<EdfSignal> signals = new ArrayList<>(recording.channels().stream().map(EdfChannel::signal).toList());
        signals.add(annotations);
        try (OutputStream out = CompressedFiles.create(file)) {
            out.write(encodeHeader(recording, signals));
            int recordBytes = signals.stream().mapToInt(s -> s.samplesPerRecord() * 2).sum();
            ByteBuffer record = ByteBuffer.allocate(recordBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < recording.dataRecords(); r++) {
                record.clear();
                for (EdfChannel channel : recording.channels()) {
                    int spr = channel.signal().samplesPerRecord();
                    for (int i = r * spr; i < (r + 1) * spr; i++) {
                        record.putShort(channel.signal().toDigital(channel.samples()[i]));
                    }
                }
                record.put(tals.get(r));
                out.write(record.array());
            }
        }
    }

    static byte[] encodeHeader(EdfRecording recording, List<EdfSignal> signals) {
        StringBuilder header = new StringBuilder()
                .append(AsciiFields.pad("0", EdfLayout.VERSION, "version"))
                .append(AsciiFields.pad(recording.patient(), EdfLayout.PATIENT, "patient"))
                .append(AsciiFields.pad(recording.recording(), EdfLayout.RECORDING, "recording"))
                .append(recording.start().format(DATE))
                .append(recording.start().format(TIME))
                .append(AsciiFields.pad(Integer.toString(EdfLayout.FIXED_HEADER * (signals.size() + 1)),
                        EdfLayout.HEADER_BYTES, "header bytes"))
                .append(AsciiFields.pad(EdfLayout.EDF_PLUS_CONTINUOUS, EdfLayout.RESERVED, "reserved"))
                .append(AsciiFields.pad(Integer.toString(recording.dataRecords()), EdfLayout.RECORDS, "records"))
                .append(AsciiFields.pad(AsciiFields.number(recording.recordDurationSeconds(), EdfLayout.DURATION,
                        "record duration"), EdfLayout.DURATION, "record duration"))
                .append(AsciiFields.pad(Integer.toString(signals.size()), EdfLayout.SIGNALS, "signals"));
        appendEach(header, signals, EdfSignal::label, EdfLayout.LABEL, "label");
        appendEach(header, signals, EdfSignal::transducer, EdfLayout.TRANSDUCER, "transducer");
        appendEach(header, signals, EdfSignal::physicalDimension, EdfLayout.DIMENSION, "physical dimension");
        appendEach(header, signals, s -> AsciiFields.number(s.physicalMin(), EdfLayout.NUMBER, "physical minimum"),
                EdfLayout.NUMBER, "physical minimum");
        appendEach(header, signals, s -> AsciiFields.number(s.physicalMax(), EdfLayout.NUMBER, "physical maximum"),
                EdfLayout.NUMBER, "physical maximum");
        appendEach(header, signals, s -> Integer.toString(s.digitalMin()), EdfLayout.NUMBER, "digital minimum");
        appendEach(header, signals, s -> Integer.toString(s.digitalMax()), EdfLayout.NUMBER, "digital maximum");
        appendEach(header, signals, EdfSignal::prefiltering, EdfLayout.PREFILTERING, "prefiltering");
        appendEach(header, signals, s -> Integer.toString(s.samplesPerRecord()), EdfLayout.NUMBER, "samples");
        appendEach(header, signals, s -> "", EdfLayout.SIGNAL_RESERVED, "reserved");
        return header.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static void appendEach(StringBuilder header, List<EdfSignal> signals, Function<EdfSignal, String> field,
                                   int width, String name) {
        for (EdfSignal signal : signals) {
            header.append(AsciiFields.pad(field.apply(signal), width, "signal '" + signal.label() + "' " + name));
        }
    }

    /** Each record's TALs, zero-padded to a common, even length. */
    private static List<byte[]> talsPerRecord(EdfRecording recording) {
        List<ByteArrayOutputStream> perRecord = new ArrayList<>();
        for (int r = 0; r < recording.dataRecords(); r++) {
            ByteArrayOutputStream tal = new ByteArrayOutputStream();
            tal.writeBytes(timeKeeping(r * recording.recordDurationSeconds()));
            perRecord.add(tal);
        }
        for (EdfAnnotation annotation : recording.annotations()) {
            int record = (int) Math.floor(annotation.onsetSeconds() / recording.recordDurationSeconds());
            perRecord.get(Math.max(0, Math.min(recording.dataRecords() - 1, record))).writeBytes(tal(annotation));
        }
        int longest = perRecord.stream().mapToInt(ByteArrayOutputStream::size).max().orElse(0);
        int padded = longest + (longest % 2);
        return perRecord.stream().map(t -> Arrays.copyOf(t.toByteArray(), padded)).toList();
    }

    private static byte[] timeKeeping(double onset) {
        return (signed(onset) + EdfLayout.TAL_SEPARATOR + EdfLayout.TAL_SEPARATOR + "\0").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] tal(EdfAnnotation annotation) {
        String timing = signed(annotation.onsetSeconds())
                + (annotation.hasDuration() ? EdfLayout.TAL_DURATION + plain(annotation.durationSeconds()) : "");
        return (timing + EdfLayout.TAL_SEPARATOR + annotation.text() + EdfLayout.TAL_SEPARATOR + "\0")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String signed(double seconds) {
        return (seconds < 0 ? "" : "+") + plain(seconds);
    }

    private static String plain(double seconds) {
        return new BigDecimal(Double.toString(seconds)).stripTrailingZeros().toPlainString();
    }
}
