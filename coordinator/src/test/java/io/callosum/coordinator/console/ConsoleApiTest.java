package io.callosum.coordinator.console;

import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.IssuedToken;
import io.callosum.coordinator.access.Scope;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's JSON over real HTTP: login, sessions, and what each role may do. */
@QuarkusTest
class ConsoleApiTest {
    private static final String ADMIN_PASSWORD = "test-admin-password";

    @Inject
    ApiTokens tokens;

    @TestHTTPResource("/")
    URL base;

    @Test
    void theFirstAdminLogsInWithTheConfiguredPasswordAndGetsAnHttpOnlyStrictCookie() {
        given().contentType(ContentType.JSON).body(Map.of("name", "admin", "password", ADMIN_PASSWORD))
                .when().post("/console/api/login").then()
                .statusCode(200)
                .body("role", equalTo("ADMIN"))
                .header("Set-Cookie", containsString("HttpOnly"))
                .header("Set-Cookie", containsString("SameSite=Strict"));
        given().contentType(ContentType.JSON).body(Map.of("name", "admin", "password", "wrong-password"))
                .when().post("/console/api/login").then()
                .statusCode(401).body("error", equalTo("unknown user or wrong password"));
    }

    @Test
    void withoutASessionEveryPageIsRefused() {
        for (String path : List.of("/me", "/federations", "/sites", "/models", "/audit", "/tokens")) {
            given().when().get("/console/api" + path).then().statusCode(401)
                    .body("error", equalTo("not logged in to the console"));
        }
        given().cookie("callosum_session", "forged").when().get("/console/api/me").then().statusCode(401)
                .body("error", containsString("log in again"));
    }

    @Test
    void rolesDecideWhoMayCreateAndRevokeTokensAndStopFederations() {
        String admin = login("admin", ADMIN_PASSWORD);
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String viewer = user(admin, "viewer-" + suffix, "viewer");
        String operator = user(admin, "operator-" + suffix, "operator");
        IssuedToken token = tokens.create("console-" + suffix, EnumSet.of(Scope.EMBED), "test");

        given().cookie("callosum_session", viewer).when().get("/console/api/tokens").then().statusCode(200)
                .body("name", hasItem("console-" + suffix));
        given().cookie("callosum_session", viewer).when().delete("/console/api/tokens/" + token.token().id())
                .then().statusCode(403).body("error", equalTo("user 'viewer-" + suffix + "' is viewer; this needs"
                        + " operator"));
        given().cookie("callosum_session", operator).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "scopes", List.of("embed"))).when().post("/console/api/tokens")
                .then().statusCode(403);
        given().cookie("callosum_session", operator).when().delete("/console/api/tokens/" + token.token().id())
                .then().statusCode(200).body("revokedBy", equalTo("operator-" + suffix));
        given().cookie("callosum_session", admin).contentType(ContentType.JSON)
                .body(Map.of("name", "made-in-console", "scopes", List.of("embed", "predict")))
                .when().post("/console/api/tokens").then().statusCode(201).body("secret", startsWith("cls_"));
        given().cookie("callosum_session", operator).when().post("/console/api/federations/no-such/stop")
                .then().statusCode(409).body("error", containsString("does not exist"));
        given().cookie("callosum_session", viewer).when().get("/console/api/audit").then().statusCode(200)
                .body("chain.intact", equalTo(true))
                .body("entries.action", hasItem("token.revoked"));
    }

    @Test
    void theEventStreamSendsEveryFederationsSnapshot() throws Exception {
        String session = login("admin", ADMIN_PASSWORD);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "console/api/events"))
                .header("Cookie", "callosum_session=" + session).timeout(Duration.ofSeconds(20)).build();
        HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), () -> readAll(response));
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("text/event-stream"));
        try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(),
                StandardCharsets.UTF_8))) {
            String line = events.readLine();
            while (line != null && !line.startsWith("data:")) {
                line = events.readLine();
            }
            assertTrue(line != null && line.startsWith("data:["), "first event: " + line);
        }
    }

    private static String readAll(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String login(String name, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "password", password))
                .when().post("/console/api/login").then().statusCode(200).extract().cookie("callosum_session");
    }

    private static String user(String admin, String name, String role) {
        String password = "password-of-" + name;
        given().cookie("callosum_session", admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "password", password, "role", role))
                .when().post("/console/api/users").then().statusCode(201);
        return login(name, password);
    }
}
