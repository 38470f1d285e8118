package io.callosum.protocol.federation;

import com.google.protobuf.ByteString;
import io.callosum.protocol.flower.proto.Transport.Scalar;
import io.callosum.protocol.tensor.Modality;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads and writes of Flower's {@code map<string, Scalar>} (config, metrics, properties). Python's Flower
 * writes ints as sint64 and floats as double, so numbers are accepted in any numeric form; a missing or mistyped
 * entry is reported with the key and the message it came in.
 */
public final class ScalarMaps {
    private ScalarMaps() {
    }

    public static Scalar of(String value) {
        return Scalar.newBuilder().setString(value).build();
    }

    public static Scalar of(double value) {
        return Scalar.newBuilder().setDouble(value).build();
    }

    public static Scalar of(long value) {
        return Scalar.newBuilder().setSint64(value).build();
    }

    public static Scalar of(byte[] value) {
        return Scalar.newBuilder().setBytes(ByteString.copyFrom(value)).build();
    }

    public static byte[] bytes(Map<String, Scalar> map, String key, String where) {
        Scalar scalar = map.get(key);
        if (scalar == null) {
            throw missing(key, where);
        }
        if (scalar.getScalarCase() != Scalar.ScalarCase.BYTES) {
            throw new ConfigFormatException(where + ": '" + key + "' must be bytes, got " + describe(scalar));
        }
        return scalar.getBytes().toByteArray();
    }

    public static Optional<String> optionalString(Map<String, Scalar> map, String key, String where) {
        Scalar scalar = map.get(key);
        if (scalar == null) {
            return Optional.empty();
        }
        if (scalar.getScalarCase() != Scalar.ScalarCase.STRING) {
            throw new ConfigFormatException(where + ": '" + key + "' must be a string, got " + describe(scalar));
        }
        return Optional.of(scalar.getString());
    }

    public static String string(Map<String, Scalar> map, String key, String where) {
        return optionalString(map, key, where).orElseThrow(() -> missing(key, where));
    }

    public static Optional<Double> optionalNumber(Map<String, Scalar> map, String key, String where) {
        Scalar scalar = map.get(key);
        if (scalar == null) {
            return Optional.empty();
        }
        return Optional.of(switch (scalar.getScalarCase()) {
            case DOUBLE -> scalar.getDouble();
            case SINT64 -> (double) scalar.getSint64();
            case UINT64 -> (double) scalar.getUint64();
            default -> throw new ConfigFormatException(where + ": '" + key + "' must be a number, got "
                    + describe(scalar));
        });
    }

    public static double number(Map<String, Scalar> map, String key, String where) {
        return optionalNumber(map, key, where).orElseThrow(() -> missing(key, where));
    }

    public static long integer(Map<String, Scalar> map, String key, String where) {
        double value = number(map, key, where);
        if (value != Math.rint(value) || Double.isInfinite(value)) {
            throw new ConfigFormatException(where + ": '" + key + "' must be a whole number, got " + value);
        }
        return (long) value;
    }

    public static int positiveInt(Map<String, Scalar> map, String key, String where) {
        long value = integer(map, key, where);
        if (value <= 0 || value > Integer.MAX_VALUE) {
            throw new ConfigFormatException(where + ": '" + key + "' must be a positive int, got " + value);
        }
        return (int) value;
    }

    /** A whole number from 0 to {@link Integer#MAX_VALUE}, 0 when the key is absent. */
    public static int optionalCount(Map<String, Scalar> map, String key, String where) {
        if (!map.containsKey(key)) {
            return 0;
        }
        long value = integer(map, key, where);
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new ConfigFormatException(where + ": '" + key + "' must be 0 or a positive int, got " + value);
        }
        return (int) value;
    }

    /** How one entry is read: {@link #number}, {@link #positiveInt} and the like. */
    @FunctionalInterface
    public interface EntryReader<V> {
        V read(Map<String, Scalar> map, String key, String where);
    }

    /**
     * The entries named {@code prefix} + a modality's tag ({@code callosum.subjects.omics}), by modality, each read
     * with {@code reader}; a key whose suffix names no modality is refused by name.
     */
    public static <V> Map<Modality, V> byModality(Map<String, Scalar> map, String prefix, String where,
                                                  EntryReader<V> reader) {
        Map<Modality, V> values = new EnumMap<>(Modality.class);
        for (String key : map.keySet()) {
            if (key.startsWith(prefix)) {
                Modality modality;
                try {
                    modality = Modality.fromTag(key.substring(prefix.length()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigFormatException(where + ": '" + key + "' names no modality: " + e.getMessage());
                }
                values.put(modality, reader.read(map, key, where));
            }
        }
        return values;
    }

    private static ConfigFormatException missing(String key, String where) {
        return new ConfigFormatException(where + ": '" + key + "' is missing");
    }

    private static String describe(Scalar scalar) {
        return scalar.getScalarCase().name().toLowerCase();
    }
}
