package io.callosum.coordinator;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class CoordinatorEndpointsTest {

    @Test
    void readinessCoversTheDatabaseAndTheFlowerListener() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("gRPC Server"));
    }

    @Test
    void exposesPrometheusMetrics() {
        given().when().get("/q/metrics").then()
                .statusCode(200)
                .body(containsString("callosum_flower_participants_connected"))
                .body(containsString("callosum_flower_participants_joined_total"));
    }

    @Test
    void operatorsReadTheAuditLog() {
        given().when().get("/api/audit?limit=1000").then()
                .statusCode(200)
                .body("action", hasItem("coordinator.started"));
    }

    @Test
    void anOutOfRangeLimitIsRefusedSayingWhy() {
        given().when().get("/api/audit?limit=0").then()
                .statusCode(400)
                .body("error", equalTo("limit must be between 1 and 1000, got 0"));
    }
}
