package io.callosum.protocol.transfer;

import java.util.Objects;
import java.util.regex.Pattern;

/** The SHA-256 of a blob's bytes, as 64 lowercase hex digits: its name in every {@link BlobStore}. */
public record BlobId(String sha256) {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public BlobId {
        Objects.requireNonNull(sha256, "sha256");
        if (!HEX64.matcher(sha256).matches()) {
            throw new IllegalArgumentException("blob id '" + sha256 + "' is not a SHA-256 in 64 lowercase hex digits");
        }
    }

    public static BlobId of(String sha256) {
        return new BlobId(sha256);
    }

    @Override
    public String toString() {
        return sha256;
    }
}
