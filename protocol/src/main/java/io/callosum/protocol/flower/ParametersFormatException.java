package io.callosum.protocol.flower;

/** Flower {@code Parameters} that cannot be turned into a tensor set; the message names the tensor at fault. */
public class ParametersFormatException extends IllegalArgumentException {
    public ParametersFormatException(String message) {
        super(message);
    }
}
