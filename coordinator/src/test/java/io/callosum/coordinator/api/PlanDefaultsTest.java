package io.callosum.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.callosum.coordinator.federation.SecureAggregationPlan;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlanDefaultsTest {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    private static final SecureAggregationPlan CONFIGURED = new SecureAggregationPlan(true, 0.5, Duration.ofSeconds(30));

    @Test
    void aPlanWithoutSecureAggregationGetsTheConfiguredSettingAndReadsBackAsIt() throws Exception {
        JsonNode plan = PlanDefaults.completed(JSON.readTree("{\"name\": \"f\", \"kind\": \"JEPA\"}"), CONFIGURED, JSON);
        assertEquals(CONFIGURED, JSON.treeToValue(plan.get("secureAggregation"), SecureAggregationPlan.class));
    }

    @Test
    void anExplicitSettingStaysAsWrittenAndPlainFlowerPlansAreLeftAlone() throws Exception {
        JsonNode off = PlanDefaults.completed(JSON.readTree(
                "{\"kind\": \"JEPA\", \"secureAggregation\": {\"enabled\": false, \"clip\": 1.0,"
                        + " \"stageTimeout\": \"PT1M\"}}"), CONFIGURED, JSON);
        assertFalse(off.get("secureAggregation").get("enabled").asBoolean());
        JsonNode plain = PlanDefaults.completed(JSON.readTree("{\"kind\": \"PLAIN\"}"), CONFIGURED, JSON);
        assertFalse(plain.has("secureAggregation"));
    }

    @Test
    void somethingOtherThanAnObjectIsRefusedNamingWhatItWas() throws Exception {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PlanDefaults.completed(JSON.readTree("[1, 2]"), CONFIGURED, JSON));
        assertTrue(refused.getMessage().contains("got array"), refused.getMessage());
    }
}
