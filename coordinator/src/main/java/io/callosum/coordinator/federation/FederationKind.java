package io.callosum.coordinator.federation;

import io.callosum.coordinator.participants.ListenerKind;

/**
 * What a federation trains: Callosum's per-modality JEPA encoders with site agents, the shared-space heads over
 * another federation's frozen encoders with site agents (alignment), or a plain model of untagged tensors with stock
 * Flower clients (FedAvg-style, no Callosum config understood).
 */
public enum FederationKind {
    JEPA(ListenerKind.SITES),
    ALIGNMENT(ListenerKind.SITES),
    PLAIN(ListenerKind.PLAIN);

    private final ListenerKind listener;

    FederationKind(ListenerKind listener) {
        this.listener = listener;
    }

    public ListenerKind listener() {
        return listener;
    }

    public String tag() {
        return name().toLowerCase();
    }
}
