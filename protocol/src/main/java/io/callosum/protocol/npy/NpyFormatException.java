package io.callosum.protocol.npy;

/** A byte sequence that is not an acceptable {@code .npy} array; the message says what is wrong with it. */
public class NpyFormatException extends IllegalArgumentException {
    public NpyFormatException(String message) {
        super(message);
    }
}
