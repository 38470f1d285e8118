package io.callosum.protocol.transfer;

import java.io.IOException;

/** A file that is not a valid tensor archive; the message names the file and, where it applies, the tensor. */
public class TensorArchiveFormatException extends IOException {
    public TensorArchiveFormatException(String message) {
        super(message);
    }
}
