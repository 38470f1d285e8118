package io.callosum.coordinator.references;

/** A change to the reference banks or probes that contradicts what is stored (the caller's fault: 409). */
public class ReferenceConflictException extends RuntimeException {
    public ReferenceConflictException(String message) {
        super(message);
    }
}
