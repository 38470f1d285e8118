package io.callosum.coordinator.references;

/** A change to the reference banks that contradicts what is stored (the caller's fault: 409). */
public class BankConflictException extends RuntimeException {
    public BankConflictException(String message) {
        super(message);
    }
}
