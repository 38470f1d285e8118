package io.callosum.protocol.secagg;

/** The stages of one SecAgg+ round, in order; a round that lost too many clients ends in none of them (it aborts). */
public enum SecAggStage {
    /** Each client publishes its two public keys for the round. */
    ADVERTISE_KEYS,
    /** Each client sends Shamir shares of its self-mask seed and masking key, encrypted to each neighbour. */
    SHARE_KEYS,
    /** Each client sends its quantized update plus self-mask plus pairwise masks. */
    MASKED_INPUT,
    /** Survivors reveal the shares the server needs to remove the masks that did not cancel. */
    UNMASKING
}
