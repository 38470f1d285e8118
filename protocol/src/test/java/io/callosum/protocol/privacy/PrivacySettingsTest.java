package io.callosum.protocol.privacy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivacySettingsTest {

    @Test
    void badSettingsAreRefusedNamingTheSetting() {
        assertRefused("clip norm C", () -> new PrivacySettings(0, 1, 8, 1e-5));
        assertRefused("clip norm C", () -> new PrivacySettings(Double.POSITIVE_INFINITY, 1, 8, 1e-5));
        assertRefused("noise multiplier z", () -> new PrivacySettings(1, -0.5, 8, 1e-5));
        assertRefused("noise multiplier z", () -> new PrivacySettings(1, Double.NaN, 8, 1e-5));
        assertRefused("epsilon budget", () -> new PrivacySettings(1, 1, 0, 1e-5));
        assertRefused("delta", () -> new PrivacySettings(1, 1, 8, 0));
        assertRefused("delta", () -> new PrivacySettings(1, 1, 8, 1));
    }

    @Test
    void zeroNoiseTurnsPrivacyOff() {
        assertFalse(new PrivacySettings(1, 0, 8, 1e-5).enabled());
        assertTrue(new PrivacySettings(1, 0.8, 8, 1e-5).enabled());
    }

    @Test
    void theEffectiveMultiplierAssumesOnlyTheThresholdSurvives() {
        PrivacySettings settings = new PrivacySettings(1, 1.2, 8, 1e-5);
        assertEquals(1.2 * Math.sqrt(7.0 / 10), settings.effectiveNoiseMultiplier(10, 7), 1e-15);
        assertEquals(1.2, settings.effectiveNoiseMultiplier(10, 10), 1e-15);
        assertRefused("survivor threshold", () -> settings.effectiveNoiseMultiplier(10, 11));
        assertRefused("survivor threshold", () -> settings.effectiveNoiseMultiplier(10, 0));
        assertRefused("number of sites", () -> settings.effectiveNoiseMultiplier(0, 0));
    }

    private static void assertRefused(String named, Runnable construction) {
        String message = assertThrows(IllegalArgumentException.class, construction::run).getMessage();
        assertTrue(message.contains(named), message);
    }
}
