package io.callosum.protocol.transfer;

import java.io.IOException;

/** Bytes that do not hash to the blob id they were declared as; nothing was stored under either id. */
public class BlobIntegrityException extends IOException {
    private final BlobId expected;
    private final BlobId actual;

    public BlobIntegrityException(String what, BlobId expected, BlobId actual) {
        super(what + ": expected sha256 " + expected + " but the content hashes to " + actual);
        this.expected = expected;
        this.actual = actual;
    }

    public BlobId expected() {
        return expected;
    }

    public BlobId actual() {
        return actual;
    }
}
