package io.callosum.coordinator.federation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.callosum.protocol.tensor.Modality;
import org.junit.jupiter.api.Test;

import java.util.Map;

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

    @Test
    void aModalitysOwnLambdaIsKeptThroughTheStoredJson() throws Exception {
        LocalTrainingPlan plan = new LocalTrainingPlan(5, 1e-3, 32, "sigreg", 0.5, "cosine", "class-balanced",
                Map.of(Modality.OMICS, 0.3));
        ObjectMapper json = new ObjectMapper();
        assertEquals(plan, json.readValue(json.writeValueAsString(plan), LocalTrainingPlan.class));
        assertEquals(Map.of(), json.readValue("{\"localSteps\":5,\"learningRate\":0.001,\"batchSize\":32,"
                + "\"objective\":\"sigreg\",\"lambda\":0.5}", LocalTrainingPlan.class).modalityLambdas(),
                "a plan stored before per-modality λ has none");
    }

    @Test
    void aLambdaForWhatHasNoEncoderOrOutsideItsRangeIsRefused() {
        IllegalArgumentException refusal = assertThrows(IllegalArgumentException.class, () -> new LocalTrainingPlan(
                5, 1e-3, 32, "sigreg", 0.5, "cosine", "uniform", Map.of(Modality.SHARED, 0.3)));
        assertTrue(refusal.getMessage().contains("a λ for shared, which has no encoder"), refusal.getMessage());
        refusal = assertThrows(IllegalArgumentException.class, () -> new LocalTrainingPlan(
                5, 1e-3, 32, "sigreg", 0.5, "cosine", "uniform", Map.of(Modality.OMICS, Double.NaN)));
        assertTrue(refusal.getMessage().contains("omics λ must be in [0, 1], got NaN"), refusal.getMessage());
    }
}
