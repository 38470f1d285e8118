package io.callosum.protocol.secagg;

import io.callosum.protocol.secagg.SecAggMessages.AdvertisedKeys;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShare;
import io.callosum.protocol.secagg.SecAggMessages.EncryptedShares;
import io.callosum.protocol.secagg.SecAggMessages.ForwardedShares;
import io.callosum.protocol.secagg.SecAggMessages.NeighbourKeys;
import io.callosum.protocol.secagg.SecAggMessages.RevealedShare;
import io.callosum.protocol.secagg.SecAggMessages.ShareKind;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingRequest;
import io.callosum.protocol.secagg.SecAggMessages.UnmaskingShares;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The bytes of the round config and of every SecAgg+ message, as they travel in Flower config maps. Big-endian,
 * each starting with a format version; counts and lengths are bounded by what the message can hold, so a
 * corrupted or hostile message is refused with {@link SecAggMessageException} naming what was wrong, before
 * anything is allocated for it.
 */
public final class SecAggCodec {
    private static final byte VERSION = 1;
    private static final int MAX_BYTES_FIELD = 1 << 16;

    private SecAggCodec() {
    }

    public static byte[] encode(RoundConfig config) {
        return write(out -> {
            out.writeInt(config.round());
            out.writeInt(config.clients().size());
            for (int client : config.clients()) {
                out.writeInt(client);
            }
            out.writeInt(config.vectorLength());
            out.writeInt(config.neighbours());
            out.writeInt(config.threshold());
            out.writeDouble(config.clip());
            bytes(out, config.graphSeed());
        });
    }

    public static RoundConfig decodeRoundConfig(byte[] bytes) {
        return read(SecAggStage.ADVERTISE_KEYS, "round config", bytes, in -> {
            int round = in.getInt();
            List<Integer> clients = ints(in, "clients");
            int vectorLength = in.getInt();
            int neighbours = in.getInt();
            int threshold = in.getInt();
            double clip = in.getDouble();
            byte[] seed = bytes(in, "graph seed");
            try {
                return new RoundConfig(round, clients, vectorLength, neighbours, threshold, clip, seed);
            } catch (IllegalArgumentException e) {
                throw new SecAggMessageException(SecAggStage.ADVERTISE_KEYS, "round config: " + e.getMessage());
            }
        });
    }

    public static byte[] encode(AdvertisedKeys keys) {
        return write(out -> keys(out, keys));
    }

    public static AdvertisedKeys decodeAdvertisedKeys(byte[] bytes) {
        return read(SecAggStage.ADVERTISE_KEYS, "advertised keys", bytes, SecAggCodec::keys);
    }

    public static byte[] encode(NeighbourKeys message) {
        return write(out -> {
            out.writeInt(message.receiver());
            out.writeInt(message.neighbours().size());
            for (AdvertisedKeys keys : message.neighbours()) {
                keys(out, keys);
            }
        });
    }

    public static NeighbourKeys decodeNeighbourKeys(byte[] bytes) {
        return read(SecAggStage.SHARE_KEYS, "neighbour keys", bytes, in -> new NeighbourKeys(in.getInt(),
                list(in, "neighbour keys", SecAggCodec::keys)));
    }

    public static byte[] encode(EncryptedShares message) {
        return write(out -> {
            out.writeInt(message.sender());
            shares(out, message.shares());
        });
    }

    public static EncryptedShares decodeEncryptedShares(byte[] bytes) {
        return read(SecAggStage.SHARE_KEYS, "encrypted shares", bytes, in -> new EncryptedShares(in.getInt(),
                list(in, "encrypted shares", SecAggCodec::share)));
    }

    public static byte[] encode(ForwardedShares message) {
        return write(out -> {
            out.writeInt(message.receiver());
            shares(out, message.shares());
        });
    }

    public static ForwardedShares decodeForwardedShares(byte[] bytes) {
        return read(SecAggStage.MASKED_INPUT, "forwarded shares", bytes, in -> new ForwardedShares(in.getInt(),
                list(in, "forwarded shares", SecAggCodec::share)));
    }

    public static byte[] encode(UnmaskingRequest message) {
        return write(out -> {
            out.writeInt(message.receiver());
            out.writeInt(message.survivors().size());
            for (int survivor : message.survivors()) {
                out.writeInt(survivor);
            }
        });
    }

    public static UnmaskingRequest decodeUnmaskingRequest(byte[] bytes) {
        return read(SecAggStage.UNMASKING, "unmasking request", bytes, in -> new UnmaskingRequest(in.getInt(),
                ints(in, "survivors")));
    }

    public static byte[] encode(UnmaskingShares message) {
        return write(out -> {
            out.writeInt(message.sender());
            out.writeInt(message.shares().size());
            for (RevealedShare share : message.shares()) {
                out.writeInt(share.owner());
                out.writeByte(share.kind().ordinal());
                bytes(out, share.value());
            }
        });
    }

    public static UnmaskingShares decodeUnmaskingShares(byte[] bytes) {
        return read(SecAggStage.UNMASKING, "revealed shares", bytes, in -> new UnmaskingShares(in.getInt(),
                list(in, "revealed shares", one -> {
                    int owner = one.getInt();
                    int kind = one.get();
                    if (kind < 0 || kind >= ShareKind.values().length) {
                        throw new IllegalArgumentException("unknown share kind " + kind);
                    }
                    return new RevealedShare(owner, ShareKind.values()[kind], bytes(one, "share value"));
                })));
    }

    private static void keys(DataOutputStream out, AdvertisedKeys keys) throws IOException {
        out.writeInt(keys.client());
        bytes(out, keys.encryptionKey());
        bytes(out, keys.maskingKey());
    }

    private static AdvertisedKeys keys(ByteBuffer in) {
        return new AdvertisedKeys(in.getInt(), bytes(in, "encryption key"), bytes(in, "masking key"));
    }

    private static void shares(DataOutputStream out, List<EncryptedShare> shares) throws IOException {
        out.writeInt(shares.size());
        for (EncryptedShare share : shares) {
            out.writeInt(share.sender());
            out.writeInt(share.receiver());
            bytes(out, share.nonce());
            bytes(out, share.ciphertext());
        }
    }

    private static EncryptedShare share(ByteBuffer in) {
        return new EncryptedShare(in.getInt(), in.getInt(), bytes(in, "nonce"), bytes(in, "ciphertext"));
    }

    private static void bytes(DataOutputStream out, byte[] value) throws IOException {
        out.writeInt(value.length);
        out.write(value);
    }

    private static byte[] bytes(ByteBuffer in, String field) {
        int length = count(in, field, 1);
        if (length > MAX_BYTES_FIELD) {
            throw new IllegalArgumentException(field + " of " + length + " bytes is longer than "
                    + MAX_BYTES_FIELD);
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }

    private static List<Integer> ints(ByteBuffer in, String field) {
        int count = count(in, field, Integer.BYTES);
        List<Integer> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(in.getInt());
        }
        return values;
    }

    private static <T> List<T> list(ByteBuffer in, String field, Function<ByteBuffer, T> element) {
        // Every element takes at least one int, which bounds the count by what is left.
        int count = count(in, field, Integer.BYTES);
        List<T> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(element.apply(in));
        }
        return values;
    }

    /** A count read from the message, refused when it is negative or more than the rest of it could hold. */
    private static int count(ByteBuffer in, String field, int minimumBytesEach) {
        int count = in.getInt();
        if (count < 0 || (long) count * minimumBytesEach > in.remaining()) {
            throw new IllegalArgumentException(field + " claims " + count + (minimumBytesEach == 1 ? " bytes"
                    : " entries") + ", more than the " + in.remaining() + " bytes left can hold");
        }
        return count;
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static <T> T read(SecAggStage stage, String what, byte[] bytes, Function<ByteBuffer, T> reader) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            byte version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("format version " + version + ", this peer reads " + VERSION);
            }
            T value = reader.apply(in);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes left over after the message");
            }
            return value;
        } catch (SecAggMessageException e) {
            throw e;
        } catch (BufferUnderflowException e) {
            throw new SecAggMessageException(stage, what + " is truncated (" + bytes.length + " bytes)");
        } catch (IllegalArgumentException e) {
            throw new SecAggMessageException(stage, what + ": " + e.getMessage());
        }
    }
}
