package io.callosum.coordinator.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.callosum.coordinator.TestAccess;
import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.FederationSettings;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The operators' API ({@code /api/federations}, {@code /api/audit}) over real HTTP: 401 without a credential, 403
 * with too little, read-only for console viewers, everything for a token of scope admin and the bootstrap token.
 */
@QuarkusTest
class OperatorApiAccessTest {
    private static final String BOOTSTRAP = TestAccess.BOOTSTRAP_TOKEN;
    private static final List<String> READS = List.of("/api/federations", "/api/audit");

    @Inject
    ApiTokens tokens;

    @Inject
    AuditLog audit;

    @Inject
    FederationRecords records;

    @Inject
    FederationSettings settings;

    @Inject
    ObjectMapper json;

    @Test
    void withoutACredentialEveryEndpointIsRefusedWith401NamingBothWaysIn() {
        for (String path : READS) {
            given().when().get(path).then().statusCode(401)
                    .body("error", containsString("'Authorization: Bearer <token>'"))
                    .body("error", containsString("scope 'admin'"))
                    .body("error", containsString("log in to the console as viewer"));
        }
        given().contentType(ContentType.JSON).body("{}").when().post("/api/federations").then().statusCode(401)
                .body("error", containsString("log in to the console as operator"));
        given().auth().oauth2("cls_not-a-token").when().get("/api/audit").then().statusCode(401)
                .body("error", equalTo("unknown bearer token"));
    }

    @Test
    void aTokenWithoutScopeAdminIsRefusedWith403() {
        String embed = tokens.create("embed only", EnumSet.of(Scope.EMBED, Scope.PREDICT), "test").secret();
        for (String path : READS) {
            given().auth().oauth2(embed).when().get(path).then().statusCode(403)
                    .body("error", containsString("lacks scope 'admin'"));
        }
        given().auth().oauth2(embed).contentType(ContentType.JSON).body("{}").when().post("/api/federations")
                .then().statusCode(403);
    }

    @Test
    void aConsoleViewerReadsButMayNotStartAFederation() throws Exception {
        String name = "api-viewer-" + UUID.randomUUID().toString().substring(0, 6);
        String viewer = TestAccess.user(TestAccess.admin(), name, "viewer");

        for (String path : READS) {
            given().cookie("callosum_session", viewer).when().get(path).then().statusCode(200);
        }
        given().cookie("callosum_session", viewer).contentType(ContentType.JSON)
                .body(plan(name)).when().post("/api/federations").then()
                .statusCode(403).body("error", equalTo("user '" + name + "' is viewer; this needs operator"));
        assertFalse(records.find(name).isPresent(), "the viewer's federation was not created");
    }

    @Test
    void aTokenOfScopeAdminReadsAndTheBootstrapTokenStartsAFederationAuditedUnderItsName() throws Exception {
        String admin = tokens.create("api admin", EnumSet.of(Scope.ADMIN), "test").secret();
        for (String path : READS) {
            given().auth().oauth2(admin).when().get(path).then().statusCode(200);
        }
        String name = "api-bootstrap-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(BOOTSTRAP).contentType(ContentType.JSON).body(plan(name))
                .when().post("/api/federations").then().statusCode(200).body("plan.name", equalTo(name));
        given().auth().oauth2(BOOTSTRAP).when().get("/api/federations").then().statusCode(200)
                .body("$", hasItem(name));
        String operator = TestAccess.admin();
        given().cookie("callosum_session", operator).when().post("/console/api/federations/" + name + "/stop")
                .then().statusCode(200);

        AuditEntry created = audit.latest(50, name).stream().filter(e -> e.action().equals("federation.created"))
                .findFirst().orElseThrow();
        assertEquals("bootstrap-token", created.actor());
        given().auth().oauth2(BOOTSTRAP).when().get("/api/audit?subject=" + name).then().statusCode(200)
                .body("action", hasItem("federation.stopped"));
    }

    private String plan(String name) throws JsonProcessingException {
        return json.writeValueAsString(FederationPlan.from(settings).named(name));
    }
}
