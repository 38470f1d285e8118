package io.callosum.protocol.privacy;

/**
 * An (ε, δ)-differential-privacy guarantee, with the Rényi order {@code order} whose bound gave the smallest ε.
 */
public record EpsilonDelta(double epsilon, double delta, double order) {
}
