package io.callosum.protocol.npy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dictionary at the start of a {@code .npy} file: element type with byte order, memory layout and shape.
 * It is a Python literal; it is parsed here as data, never evaluated.
 */
public record NpyHeader(DType dtype, ByteOrder byteOrder, boolean fortranOrder, Shape shape) {

    /** numpy leaves room for the first (C) or last (Fortran) axis to grow to this many digits in place. */
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;
    private static final Set<String> KEYS = Set.of("descr", "fortran_order", "shape");

    /** numpy's descr, e.g. {@code <f4}, {@code >i8}, {@code |u1}. */
    public String descr() {
        char order = dtype.itemSize() == 1 ? '|' : byteOrder == ByteOrder.LITTLE_ENDIAN ? '<' : '>';
        return order + dtype.code();
    }

    /** The dictionary text exactly as numpy writes it, growth padding included, before alignment padding. */
    String render() {
        StringBuilder text = new StringBuilder()
                .append("{'descr': '").append(descr())
                .append("', 'fortran_order': ").append(fortranOrder ? "True" : "False")
                .append(", 'shape': ").append(shape).append(", }");
        if (shape.rank() > 0) {
            long growthAxis = shape.dim(fortranOrder ? shape.rank() - 1 : 0);
            text.append(" ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(growthAxis).length()));
        }
        return text.toString();
    }

    static NpyHeader parse(String text) {
        Map<String, Object> dict = new LiteralParser(text).parseDict();
        if (!dict.keySet().equals(KEYS)) {
            throw new NpyFormatException("header keys are " + dict.keySet() + ", expected exactly " + KEYS);
        }
        if (!(dict.get("descr") instanceof String descr)) {
            throw new NpyFormatException("header field 'descr' is " + dict.get("descr")
                    + "; structured (record) dtypes are not supported");
        }
        if (!(dict.get("fortran_order") instanceof Boolean fortranOrder)) {
            throw new NpyFormatException("header field 'fortran_order' must be True or False, got "
                    + dict.get("fortran_order"));
        }
        if (!(dict.get("shape") instanceof long[] dims)) {
            throw new NpyFormatException("header field 'shape' must be a tuple of integers, got " + dict.get("shape"));
        }
        Shape shape;
        try {
            shape = new Shape(dims);
            shape.elementCount();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new NpyFormatException("header field 'shape' is invalid: " + e.getMessage());
        }
        return parseDescr(descr, fortranOrder, shape);
    }

    private static NpyHeader parseDescr(String descr, boolean fortranOrder, Shape shape) {
        if (descr.length() >= 2 && descr.charAt(1) == 'O') {
            throw new NpyFormatException("dtype '" + descr + "' is an object array (pickled Python objects);"
                    + " it is refused because unpickling can run arbitrary code");
        }
        if (descr.length() < 3) {
            throw new NpyFormatException("header field 'descr' '" + descr + "' is not a numpy type string");
        }
        ByteOrder order = switch (descr.charAt(0)) {
            case '<', '|' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            case '=' -> ByteOrder.nativeOrder();
            default -> throw new NpyFormatException("header field 'descr' '" + descr
                    + "' has unknown byte order '" + descr.charAt(0) + "'");
        };
        char kind = descr.charAt(1);
        int itemSize;
        try {
            itemSize = Integer.parseInt(descr.substring(2));
        } catch (NumberFormatException e) {
            throw new NpyFormatException("header field 'descr' '" + descr + "' has no valid item size");
        }
        DType dtype = DType.forCode(kind, itemSize).orElseThrow(() -> new NpyFormatException(
                "unsupported dtype '" + descr + "' (supported: b1, i1, u1, i2, u2, i4, u4, i8, u8, f2, f4, f8)"));
        return new NpyHeader(dtype, order, fortranOrder, shape);
    }

    /** Reads the subset of Python literal syntax that numpy headers use: dict, str, bool, int tuple. */
    private static final class LiteralParser {
        private final String text;
        private int pos;

        LiteralParser(String text) {
            this.text = text;
        }

        Map<String, Object> parseDict() {
            Map<String, Object> dict = new LinkedHashMap<>();
            expect('{');
            while (peek() != '}') {
                if (!(parseValue() instanceof String key)) {
                    throw error("dictionary key is not a string");
                }
                expect(':');
                if (dict.put(key, parseValue()) != null) {
                    throw error("duplicate key '" + key + "'");
                }
                if (peek() != '}') {
                    expect(',');
                }
            }
            expect('}');
            if (peek() != 0) {
                throw error("unexpected text after the dictionary");
            }
            return dict;
        }

        private Object parseValue() {
            char c = peek();
            if (c == '\'' || c == '"') {
                return parseString(c);
            }
            if (c == '(') {
                return parseIntTuple();
            }
            if (c == '[') {
                throw error("lists (structured dtypes) are not supported");
            }
            String word = parseWord();
            return switch (word) {
                case "True" -> Boolean.TRUE;
                case "False" -> Boolean.FALSE;
                default -> parseInteger(word);
            };
        }

        private long parseInteger(String word) {
            try {
                return Long.parseLong(word.endsWith("L") ? word.substring(0, word.length() - 1) : word);
            } catch (NumberFormatException e) {
                throw error("'" + word + "' is not an integer");
            }
        }

        private String parseString(char quote) {
            pos++;
            int end = text.indexOf(quote, pos);
            if (end < 0) {
                throw error("unterminated string");
            }
            String value = text.substring(pos, end);
            pos = end + 1;
            return value;
        }

        private long[] parseIntTuple() {
            expect('(');
            List<Long> values = new ArrayList<>();
            while (peek() != ')') {
                values.add(parseInteger(parseWord()));
                if (peek() != ')') {
                    expect(',');
                }
            }
            expect(')');
            return values.stream().mapToLong(Long::longValue).toArray();
        }

        private String parseWord() {
            skipSpace();
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '-')) {
                pos++;
            }
            if (start == pos) {
                throw error("expected a value");
            }
            return text.substring(start, pos);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        private char peek() {
            skipSpace();
            return pos < text.length() ? text.charAt(pos) : 0;
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }

        private NpyFormatException error(String what) {
            return new NpyFormatException("malformed header at character " + pos + ": " + what
                    + " in " + text.strip());
        }
    }
}
