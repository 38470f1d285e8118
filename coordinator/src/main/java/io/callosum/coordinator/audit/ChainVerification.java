package io.callosum.coordinator.audit;

import java.util.Optional;

/**
 * The outcome of recomputing the audit log's hash chain from its first entry: how many entries were checked, the
 * hash at the head, and where and why the chain broke if it did.
 */
public record ChainVerification(long entries, String headHash, boolean intact, Optional<Long> brokenAt,
                                String problem) {

    static ChainVerification intact(long entries, String headHash) {
        return new ChainVerification(entries, headHash, true, Optional.empty(), null);
    }

    static ChainVerification broken(long entries, long id, String problem) {
        return new ChainVerification(entries, null, false, Optional.of(id), problem);
    }
}
