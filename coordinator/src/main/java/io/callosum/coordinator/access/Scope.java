package io.callosum.coordinator.access;

import java.util.Arrays;
import java.util.Locale;

/** What an API token lets its holder do: embed inputs, ask for predictions, or administer tokens. */
public enum Scope {
    EMBED, PREDICT, ADMIN;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope of(String tag) {
        return Arrays.stream(values()).filter(s -> s.tag().equals(tag)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + tag + "'; scopes are embed,"
                        + " predict and admin"));
    }
}
