package io.callosum.encoders.edf;

import io.callosum.encoders.format.CompressedFiles;
import io.callosum.encoders.format.MalformedFileException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads EDF and EDF+ continuous ({@code EDF+C}) recordings: every data signal at its own sample rate, scaled to
 * physical units, and the {@code EDF Annotations} signal parsed into annotations rather than treated as data.
 * Data records are streamed one at a time.
 */
public final class EdfReader {

    private EdfReader() {
    }

    public static EdfRecording read(Path file) throws IOException {
        try (InputStream in = CompressedFiles.open(file)) {
            Header header = readHeader(file, in);
            List<EdfSignal> signals = header.signals();
            int records = header.records();
            float[][] samples = new float[signals.size()][];
            for (int s = 0; s < signals.size(); s++) {
                samples[s] = signals.get(s).isAnnotations() ? null
                        : new float[Math.multiplyExact(signals.get(s).samplesPerRecord(), records)];
            }
            List<EdfAnnotation> annotations = new ArrayList<>();
            int recordBytes = signals.stream().mapToInt(s -> s.samplesPerRecord() * 2).sum();
            for (int r = 0; r < records; r++) {
                byte[] bytes = in.readNBytes(recordBytes);
                if (bytes.length < recordBytes) {
                    throw new MalformedFileException(file, "data record " + (r + 1) + " of " + records,
                            "truncated: " + bytes.length + " of " + recordBytes + " bytes");
                }
                ByteBuffer record = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
                for (int s = 0; s < signals.size(); s++) {
                    EdfSignal signal = signals.get(s);
                    if (signal.isAnnotations()) {
                        int start = record.position();
                        record.position(start + signal.samplesPerRecord() * 2);
                        annotations.addAll(Tals.parse(file, r, bytes, start, signal.samplesPerRecord() * 2));
                    } else {
                        int offset = r * signal.samplesPerRecord();
                        for (int i = 0; i < signal.samplesPerRecord(); i++) {
                            samples[s][offset + i] = signal.toPhysical(record.getShort());
                        }
                    }
                }
            }
            if (in.read() >= 0) {
                throw new MalformedFileException(file, "number of data records", "header says " + records
                        + " but more data follows");
            }
            List<EdfChannel> channels = new ArrayList<>();
            for (int s = 0; s < signals.size(); s++) {
                if (!signals.get(s).isAnnotations()) {
                    channels.add(new EdfChannel(signals.get(s), samples[s]));
                }
            }
            return new EdfRecording(header.patient(), header.recording(), header.start(), header.recordDuration(),
                    records, channels, annotations);
        }
    }

    private record Header(String patient, String recording, LocalDateTime start, int records, double recordDuration,
                          List<EdfSignal> signals) {
    }

    private static Header readHeader(Path file, InputStream in) throws IOException {
        AsciiFields fixed = new AsciiFields(file, in.readNBytes(EdfLayout.FIXED_HEADER));
        String version = fixed.text(EdfLayout.VERSION, "version");
        if (!version.equals("0")) {
            throw new MalformedFileException(file, "version", "is '" + version + "', expected '0': not an EDF file");
        }
        String patient = fixed.text(EdfLayout.PATIENT, "local patient identification");
        String recording = fixed.text(EdfLayout.RECORDING, "local recording identification");
        LocalDateTime start = startOf(file, fixed.text(EdfLayout.DATE, "startdate"),
                fixed.text(EdfLayout.TIME, "starttime"));
        int headerBytes = fixed.integer(EdfLayout.HEADER_BYTES, "number of bytes in header record");
        String reserved = fixed.text(EdfLayout.RESERVED, "reserved");
        if (reserved.startsWith(EdfLayout.EDF_PLUS_DISCONTINUOUS)) {
            throw new MalformedFileException(file, "reserved", "EDF+D (discontinuous) recordings are not supported");
        }
        int records = fixed.integer(EdfLayout.RECORDS, "number of data records");
        double duration = fixed.decimal(EdfLayout.DURATION, "duration of a data record");
        int count = fixed.integer(EdfLayout.SIGNALS, "number of signals");
        if (count < 1 || count > 4096) {
            throw new MalformedFileException(file, "number of signals", "is " + count + ", expected 1 to 4096");
        }
        if (headerBytes != EdfLayout.FIXED_HEADER * (count + 1)) {
            throw new MalformedFileException(file, "number of bytes in header record", "is " + headerBytes
                    + " but " + count + " signals need " + EdfLayout.FIXED_HEADER * (count + 1));
        }
        if (records < 0) {
            throw new MalformedFileException(file, "number of data records", "is " + records
                    + " (unknown lengths from interrupted recordings are not supported)");
        }
        if (!(duration > 0)) {
            throw new MalformedFileException(file, "duration of a data record", "is " + duration + ", expected > 0");
        }
        return new Header(patient, recording, start, records, duration,
                readSignals(file, in.readNBytes(EdfLayout.PER_SIGNAL * count), count));
    }

    /** Signal headers store each field for all signals in turn: all labels, then all transducers, and so on. */
    private static List<EdfSignal> readSignals(Path file, byte[] bytes, int count) throws IOException {
        AsciiFields fields = new AsciiFields(file, bytes);
        String[] labels = new String[count];
        for (int s = 0; s < count; s++) {
            labels[s] = fields.text(EdfLayout.LABEL, "signal " + (s + 1) + " label");
        }
        String[] transducers = texts(fields, labels, EdfLayout.TRANSDUCER, "transducer type");
        String[] dimensions = texts(fields, labels, EdfLayout.DIMENSION, "physical dimension");
        double[] physicalMin = decimals(fields, labels, "physical minimum");
        double[] physicalMax = decimals(fields, labels, "physical maximum");
        int[] digitalMin = integers(fields, labels, "digital minimum");
        int[] digitalMax = integers(fields, labels, "digital maximum");
        String[] prefiltering = texts(fields, labels, EdfLayout.PREFILTERING, "prefiltering");
        int[] samples = integers(fields, labels, "number of samples in each data record");
        List<EdfSignal> signals = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            try {
                signals.add(new EdfSignal(labels[s], transducers[s], dimensions[s], physicalMin[s], physicalMax[s],
                        digitalMin[s], digitalMax[s], prefiltering[s], samples[s]));
            } catch (IllegalArgumentException e) {
                throw new MalformedFileException(file, name(s, labels, "header"), e.getMessage());
            }
        }
        return signals;
    }

    private static String[] texts(AsciiFields fields, String[] labels, int width, String field) throws IOException {
        String[] values = new String[labels.length];
        for (int s = 0; s < labels.length; s++) {
            values[s] = fields.text(width, name(s, labels, field));
        }
        return values;
    }

    private static double[] decimals(AsciiFields fields, String[] labels, String field) throws IOException {
        double[] values = new double[labels.length];
        for (int s = 0; s < labels.length; s++) {
            values[s] = fields.decimal(EdfLayout.NUMBER, name(s, labels, field));
        }
        return values;
    }

    private static int[] integers(AsciiFields fields, String[] labels, String field) throws IOException {
        int[] values = new int[labels.length];
        for (int s = 0; s < labels.length; s++) {
            values[s] = fields.integer(EdfLayout.NUMBER, name(s, labels, field));
        }
        return values;
    }

    private static String name(int s, String[] labels, String field) {
        return "signal " + (s + 1) + " '" + labels[s] + "' " + field;
    }

    /** EDF dates are dd.mm.yy; years 85-99 are 1985-1999 and 00-84 are 2000-2084. */
    private static LocalDateTime startOf(Path file, String date, String time) throws MalformedFileException {
        String[] d = date.split("\\.");
        String[] t = time.split("\\.");
        try {
            if (d.length != 3 || t.length != 3) {
                throw new NumberFormatException();
            }
            int yy = Integer.parseInt(d[2]);
            return LocalDateTime.of(yy >= 85 ? 1900 + yy : 2000 + yy, Integer.parseInt(d[1]), Integer.parseInt(d[0]),
                    Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2]));
        } catch (NumberFormatException | DateTimeException e) {
            throw new MalformedFileException(file, "startdate/starttime", "'" + date + " " + time
                    + "' is not dd.mm.yy hh.mm.ss");
        }
    }

    /** Time-stamped annotation lists: {@code +onset[\x15duration]\x14text\x14...\x14\x00}. */
    static final class Tals {
        private Tals() {
        }

        static List<EdfAnnotation> parse(Path file, int record, byte[] bytes, int start, int length)
                throws MalformedFileException {
            List<EdfAnnotation> annotations = new ArrayList<>();
            String text = new String(bytes, start, length, StandardCharsets.UTF_8);
            for (String tal : text.split("\0")) {
                if (tal.isEmpty()) {
                    continue;
                }
                String[] parts = tal.split(String.valueOf(EdfLayout.TAL_SEPARATOR), -1);
                String[] timing = parts[0].split(String.valueOf(EdfLayout.TAL_DURATION), -1);
                double onset;
                double duration;
                try {
                    if (!(timing[0].startsWith("+") || timing[0].startsWith("-"))) {
                        throw new NumberFormatException();
                    }
                    onset = Double.parseDouble(timing[0]);
                    duration = timing.length > 1 ? Double.parseDouble(timing[1]) : Double.NaN;
                } catch (NumberFormatException e) {
                    throw new MalformedFileException(file, "EDF Annotations in data record " + (record + 1),
                            "'" + parts[0] + "' is not an onset[\\x15duration]");
                }
                for (int i = 1; i < parts.length; i++) {
                    if (!parts[i].isEmpty()) {
                        annotations.add(new EdfAnnotation(onset, duration, parts[i]));
                    }
                }
            }
            return annotations;
        }
    }
}
