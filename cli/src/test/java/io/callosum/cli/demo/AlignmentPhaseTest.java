package io.callosum.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlignmentPhaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theAlignmentPlanKeepsPretrainingsSecureAggregationAndAddsNoNoise() {
        AlignmentPhase phase = AlignmentPhase.after("demo");

        JsonNode secure = phase.plan(pretraining(true), 3);
        JsonNode inClear = phase.plan(pretraining(false), 3);

        assertEquals("ALIGNMENT", secure.path("kind").asText());
        assertEquals("demo", secure.path("alignment").path("encodersFrom").asText());
        assertTrue(secure.path("secureAggregation").path("enabled").asBoolean(), secure.toString());
        assertEquals(0.5, secure.path("secureAggregation").path("clip").asDouble());
        assertEquals("PT30S", secure.path("secureAggregation").path("stageTimeout").asText());
        assertFalse(inClear.path("secureAggregation").path("enabled").asBoolean(), inClear.toString());
        assertEquals(0.0, secure.path("privacy").path("noiseMultiplier").asDouble());
        assertEquals(3, secure.path("minSites").asInt());
    }

    /** The parts of a stored pretraining plan the alignment phase reads or changes. */
    private static JsonNode pretraining(boolean secureAggregation) {
        ObjectNode plan = JSON.createObjectNode().put("name", "demo").put("kind", "JEPA").put("rounds", 5)
                .put("minSites", 3);
        plan.putObject("training").put("localSteps", 20).put("learningRate", 1e-3).put("batchSize", 8);
        plan.putObject("secureAggregation").put("enabled", secureAggregation).put("clip", 0.5)
                .put("stageTimeout", "PT30S");
        plan.putObject("privacy").put("noiseMultiplier", 1.5).put("clipNorm", 1.0).put("delta", 1e-5);
        return plan;
    }
}
