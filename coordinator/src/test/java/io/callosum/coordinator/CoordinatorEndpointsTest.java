package io.callosum.coordinator;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class CoordinatorEndpointsTest {
    private static final String BOOTSTRAP = TestAccess.BOOTSTRAP_TOKEN;

    @Test
    void readinessCoversTheDatabaseAndTheFlowerListener() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("gRPC Server"));
    }

    @Test
    void exposesPrometheusMetricsForRoundsSitesTrafficAggregationAndApiLatency() {
        given().auth().oauth2(BOOTSTRAP).when().get("/api/audit?limit=1").then().statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String name : List.of("callosum_rounds_completed_total", "callosum_flower_participants_connected",
                "callosum_flower_participants_joined_total", "callosum_flower_parameters_received_bytes_total",
                "callosum_flower_parameters_sent_bytes_total", "callosum_aggregation_time_seconds_count")) {
            assertTrue(metrics.lines().anyMatch(line -> line.startsWith(name)), name + " is not exposed");
        }
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("http_server_requests_seconds_count")
                        && line.contains("uri=\"/api/audit\"") && line.contains("status=\"200\"")),
                "API latency of /api/audit is not exposed");
    }

    @Test
    void operatorsReadTheAuditLog() {
        given().auth().oauth2(BOOTSTRAP).when().get("/api/audit?limit=1000").then()
                .statusCode(200)
                .body("action", hasItem("coordinator.started"));
    }

    @Test
    void anOutOfRangeLimitIsRefusedSayingWhy() {
        given().auth().oauth2(BOOTSTRAP).when().get("/api/audit?limit=0").then()
                .statusCode(400)
                .body("error", equalTo("limit must be between 1 and 1000, got 0"));
    }
}
