package io.callosum.coordinator.access;

/** A token just created: the secret is shown to its creator this once and is not stored anywhere. */
public record IssuedToken(ApiToken token, String secret) {
}
