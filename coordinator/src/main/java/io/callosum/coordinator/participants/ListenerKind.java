package io.callosum.coordinator.participants;

/**
 * Which gRPC listener a participant came in through. Site agents use the main listener; stock Flower clients,
 * which can present no client certificate, come in through the plain listener, which is off unless enabled.
 */
public enum ListenerKind {
    SITES,
    PLAIN
}
