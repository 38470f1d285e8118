package io.callosum.coordinator.federation;

/** A federation's row: its id, the plan it was created with, and where it stands. */
public record StoredFederation(long id, FederationPlan plan, String status, String failureReason) {
    public boolean finished() {
        return status.equals("completed") || status.equals("cancelled");
    }
}
