package io.callosum.protocol.federation;

/** A Flower config, metrics or properties map lacks an entry Callosum needs, or holds one of the wrong type. */
public class ConfigFormatException extends IllegalArgumentException {
    public ConfigFormatException(String message) {
        super(message);
    }
}
