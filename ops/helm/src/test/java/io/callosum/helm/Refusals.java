package io.callosum.helm;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks that Helm's refusal of invalid values tells the operator which value and why. */
final class Refusals {
    private Refusals() {
    }

    static void assertNames(String refusal, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(refusal.contains(fragment), () -> "refusal does not mention '" + fragment + "':\n" + refusal);
        }
    }
}
