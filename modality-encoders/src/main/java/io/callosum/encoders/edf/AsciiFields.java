package io.callosum.encoders.edf;

import io.callosum.encoders.format.MalformedFileException;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads the fixed-width, space-padded ASCII fields of an EDF header in order, naming any field it cannot parse. */
final class AsciiFields {
    private final Path file;
    private final byte[] bytes;
    private int position;

    AsciiFields(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
    }

    String text(int width, String field) throws MalformedFileException {
        if (position + width > bytes.length) {
            throw new MalformedFileException(file, field, "header truncated");
        }
        for (int i = position; i < position + width; i++) {
            if (bytes[i] < 32 || bytes[i] > 126) {
                throw new MalformedFileException(file, field, "holds a non-printable byte 0x"
                        + Integer.toHexString(bytes[i] & 0xFF) + " (EDF headers are printable ASCII)");
            }
        }
        String value = new String(bytes, position, width, StandardCharsets.US_ASCII).strip();
        position += width;
        return value;
    }

    int integer(int width, String field) throws MalformedFileException {
        String value = text(width, field);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new MalformedFileException(file, field, "'" + value + "' is not an integer");
        }
    }

    double decimal(int width, String field) throws MalformedFileException {
        String value = text(width, field);
        try {
            double parsed = Double.parseDouble(value);
            if (Double.isFinite(parsed)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new MalformedFileException(file, field, "'" + value + "' is not a number");
    }

    /** Writes {@code value} left-justified in a field of {@code width}, refusing what does not fit. */
    static String pad(String value, int width, String field) {
        if (value.length() > width) {
            throw new IllegalArgumentException(field + " '" + value + "' is longer than its " + width + " characters");
        }
        for (char c : value.toCharArray()) {
            if (c < 32 || c > 126) {
                throw new IllegalArgumentException(field + " '" + value + "' holds a character that is not printable ASCII");
            }
        }
        return value + " ".repeat(width - value.length());
    }

    /** The most precise decimal form of {@code value} that fits {@code width} characters. */
    static String number(double value, int width, String field) {
        String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
        if (plain.length() <= width) {
            return plain;
        }
        for (int decimals = width; decimals >= 0; decimals--) {
            String rounded = new BigDecimal(value).setScale(decimals, RoundingMode.HALF_EVEN)
                    .stripTrailingZeros().toPlainString();
            if (rounded.length() <= width) {
                return rounded;
            }
        }
        throw new IllegalArgumentException(field + " " + value + " does not fit in " + width + " characters");
    }
}
