package io.callosum.protocol.secagg;

/**
 * A message that breaks the protocol (unknown or unexpected sender, duplicate, wrong length, failed
 * authentication); it is refused and the state it would have changed stays as it was.
 */
public final class SecAggMessageException extends IllegalArgumentException {
    public SecAggMessageException(SecAggStage stage, String problem) {
        super("stage " + stage + ": " + problem);
    }
}
