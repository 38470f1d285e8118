package io.callosum.coordinator.federation;

/** A federation cannot go on: a round missed its quorum in every allowed attempt. */
class FederationFailedException extends RuntimeException {
    FederationFailedException(String message) {
        super(message);
    }
}
