package io.callosum.coordinator.access;

import java.util.Arrays;
import java.util.Locale;

/**
 * A console user's role, each including the ones below it: a viewer reads, an operator also steers (stops a
 * federation, revokes a token), an admin also creates tokens and users.
 */
public enum Role {
    VIEWER, OPERATOR, ADMIN;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role of(String tag) {
        return Arrays.stream(values()).filter(r -> r.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown role '" + tag + "'; roles are admin,"
                        + " operator and viewer"));
    }
}
