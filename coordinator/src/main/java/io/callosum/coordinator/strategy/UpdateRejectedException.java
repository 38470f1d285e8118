package io.callosum.coordinator.strategy;

/** A site's update that cannot be aggregated; nothing of it was folded in. */
public class UpdateRejectedException extends IllegalArgumentException {
    private final String site;

    public UpdateRejectedException(String site, String reason) {
        super("update from site '" + site + "' rejected: " + reason);
        this.site = site;
    }

    public String site() {
        return site;
    }
}
