package io.callosum.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.callosum.coordinator.federation.FederationKind;
import io.callosum.coordinator.federation.SecureAggregationPlan;

/**
 * What a posted federation plan leaves out and this coordinator's configuration decides. Only secure aggregation so
 * far: a plan without it gets the configured setting (on by default) instead of the record's "stored before secure
 * aggregation existed, so off", because switching a protection off must be something an operator writes down.
 */
final class PlanDefaults {
    private PlanDefaults() {
    }

    static ObjectNode completed(JsonNode body, SecureAggregationPlan configured, ObjectMapper json) {
        if (!(body instanceof ObjectNode plan)) {
            throw new IllegalArgumentException("expected a federation plan as a JSON object, got "
                    + (body == null ? "nothing" : body.getNodeType().toString().toLowerCase()));
        }
        boolean plain = FederationKind.PLAIN.name().equals(plan.path("kind").asText());
        if (!plain && !plan.hasNonNull("secureAggregation")) {
            plan.set("secureAggregation", json.valueToTree(configured));
        }
        return plan;
    }
}
