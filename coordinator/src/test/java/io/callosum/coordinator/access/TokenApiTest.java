package io.callosum.coordinator.access;

import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Token administration over real HTTP: who may call, what is stored, what is audited. */
@QuarkusTest
class TokenApiTest {
    @Inject
    ApiTokens tokens;

    @Inject
    AuditLog audit;

    private String admin;

    @BeforeEach
    void anAdminToken() {
        admin = tokens.create("test admin", EnumSet.of(Scope.ADMIN), "test").secret();
    }

    @Test
    void aMissingTokenIsRefusedWith401SayingWhichScopeIsNeeded() {
        given().when().get("/api/v1/tokens").then()
                .statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("status", equalTo(401))
                .body("error", containsString("missing bearer token"))
                .body("error", containsString("'admin'"));
    }

    @Test
    void anUnknownOrMalformedTokenIsRefusedWith401() {
        given().header("Authorization", "Bearer cls_not-a-token").when().get("/api/v1/tokens").then()
                .statusCode(401).body("error", equalTo("unknown bearer token"));
        given().header("Authorization", "Basic YWRtaW46YWRtaW4=").when().get("/api/v1/tokens").then()
                .statusCode(401).body("error", containsString("must be 'Bearer <token>'"));
    }

    @Test
    void anAdminCreatesATokenWhoseSecretIsShownOnceAndStoredOnlyAsAHash() {
        String secret = given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("name", "radiology viewer", "scopes", List.of("embed")))
                .when().post("/api/v1/tokens").then()
                .statusCode(201)
                .body("token.name", equalTo("radiology viewer"))
                .body("token.scopes", equalTo(List.of("EMBED")))
                .body("secret", startsWith("cls_"))
                .extract().path("secret");
        given().header("Authorization", "Bearer " + admin).when().get("/api/v1/tokens").then()
                .statusCode(200)
                .body("name", hasItem("radiology viewer"))
                .body(not(containsString(secret)))
                .body(not(containsString(Secrets.sha256(secret))));
        ApiToken stored = tokens.bySecret(secret).orElseThrow();
        assertTrue(secret.startsWith(stored.prefix()));
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedWith403NamingTheScope() {
        String embedOnly = tokens.create("embed only", EnumSet.of(Scope.EMBED), "test").secret();
        given().header("Authorization", "Bearer " + embedOnly).when().get("/api/v1/tokens").then()
                .statusCode(403)
                .body("error", equalTo("bearer token 'embed only' lacks scope 'admin'; it holds [embed]"));
    }

    @Test
    void aRevokedTokenIsRefusedAndBothStepsAreAudited() {
        IssuedToken issued = tokens.create("to revoke", EnumSet.of(Scope.ADMIN), "test");
        long id = issued.token().id();
        given().header("Authorization", "Bearer " + admin).when().delete("/api/v1/tokens/" + id).then()
                .statusCode(200)
                .body("revokedAt", not(nullValue()));
        given().header("Authorization", "Bearer " + issued.secret()).when().get("/api/v1/tokens").then()
                .statusCode(401)
                .body("error", containsString("'to revoke'"))
                .body("error", containsString("was revoked"));
        given().header("Authorization", "Bearer " + admin).when().delete("/api/v1/tokens/" + id).then()
                .statusCode(409).body("error", equalTo("token " + id + " was already revoked"));
        given().header("Authorization", "Bearer " + admin).when().delete("/api/v1/tokens/999999999").then()
                .statusCode(404);

        List<String> actions = audit.latest(100, "token-" + id).stream().map(AuditEntry::action).toList();
        assertEquals(List.of("token.revoked", "token.created"), actions);
        assertTrue(audit.verify().intact(), () -> audit.verify().problem());
    }

    @Test
    void aTokenRequestWithAnUnknownScopeIsRefusedSayingWhich() {
        given().header("Authorization", "Bearer " + admin).contentType(ContentType.JSON)
                .body(Map.of("name", "bad", "scopes", List.of("train")))
                .when().post("/api/v1/tokens").then()
                .statusCode(400)
                .body("error", equalTo("unknown scope 'train'; scopes are embed, predict and admin"));
    }
}
