package io.callosum.protocol.secagg;

/**
 * A round that cannot finish securely: too few clients at some stage to reach the threshold. Nothing partial is
 * released; the round must be retried with fresh keys.
 */
public final class SecAggAbortedException extends RuntimeException {
    private final SecAggStage stage;

    public SecAggAbortedException(SecAggStage stage, String reason) {
        super("secure aggregation aborted at stage " + stage + ": " + reason);
        this.stage = stage;
    }

    public SecAggStage stage() {
        return stage;
    }
}
