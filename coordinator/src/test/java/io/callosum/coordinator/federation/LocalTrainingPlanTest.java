package io.callosum.coordinator.federation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LocalTrainingPlanTest {

    /** A plan stored before schedules and sampling were configurable reads back as what those rounds ran. */
    @Test
    void aPlanStoredWithoutScheduleOrSamplingKeepsAConstantRateAndUniformBatches() {
        LocalTrainingPlan stored = new LocalTrainingPlan(5, 1e-3, 32, "sigreg", 0.5, null, null);
        assertEquals(LocalTrainingPlan.CONSTANT, stored.learningRateSchedule());
        assertEquals("uniform", stored.batchSampling());
        assertEquals(0, stored.decaySteps(20));
    }

    @Test
    void samplingIsReadAsTheConfigurationSpellsIt() {
        LocalTrainingPlan plan = new LocalTrainingPlan(5, 1e-3, 32, "sigreg", 0.5, "cosine", "Class-Balanced");
        assertEquals("class-balanced", plan.batchSampling());
        assertEquals(100, plan.decaySteps(20));
        assertEquals(10, plan.decayStart(3));
    }

    @Test
    void anUnknownSamplingIsRefusedByName() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class,
                () -> new LocalTrainingPlan(5, 1e-3, 32, "sigreg", 0.5, "cosine", "by-site"));
        assertTrue(refusal.getMessage().contains("batch sampling must be one of uniform, class-balanced, got"
                + " 'by-site'"), refusal.getMessage());
    }
}
