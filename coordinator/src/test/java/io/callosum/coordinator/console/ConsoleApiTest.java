package io.callosum.coordinator.console;

import io.callosum.coordinator.TestAccess;
import io.callosum.coordinator.access.ApiTokens;
import io.callosum.coordinator.access.IssuedToken;
import io.callosum.coordinator.access.Scope;
import io.callosum.coordinator.audit.AuditEntry;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.federation.DifferentialPrivacyPlan;
import io.callosum.coordinator.federation.FederationKind;
import io.callosum.coordinator.federation.FederationPlan;
import io.callosum.coordinator.federation.FederationRecords;
import io.callosum.coordinator.federation.LocalTrainingPlan;
import io.callosum.coordinator.federation.SecureAggregationPlan;
import io.callosum.coordinator.federation.StoredFederation;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.coordinator.strategy.StrategySettings;
import io.callosum.protocol.federation.ModelPlan;
import io.callosum.protocol.npy.NpyArray;
import io.callosum.protocol.npy.NpyCodec;
import io.callosum.protocol.npy.Shape;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.NpzArchive;
import io.callosum.protocol.tensor.TensorSet;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's JSON over real HTTP: login, sessions, and what each role may do. */
@QuarkusTest
class ConsoleApiTest {

    @Inject
    ApiTokens tokens;

    @Inject
    FederationRecords records;

    @Inject
    ModelRegistry registry;

    @Inject
    AuditLog audit;

    @TestHTTPResource("/")
    URL base;

    @Test
    void theFirstAdminLogsInWithTheConfiguredPasswordAndGetsAnHttpOnlyStrictCookie() {
        given().contentType(ContentType.JSON).body(Map.of("name", "admin", "password", TestAccess.ADMIN_PASSWORD))
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
        String admin = TestAccess.admin();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String viewer = TestAccess.user(admin, "viewer-" + suffix, "viewer");
        String operator = TestAccess.user(admin, "operator-" + suffix, "operator");
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
    void anOperatorDownloadsAVersionAsNpzOrAsTheStoredArchiveAndEachDownloadIsAudited() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        StoredFederation federation = records.create(new FederationPlan("download-" + suffix, FederationKind.PLAIN,
                1, 1, 1.0, Duration.ofSeconds(30), 1, false, StrategySettings.defaults("fedavg"),
                new LocalTrainingPlan(1, 1e-3, 8, "sigreg", 0.5), ModelPlan.defaults(), SecureAggregationPlan.off(),
                DifferentialPrivacyPlan.off()));
        TensorSet tensors = TensorSet.of(List.of(
                new NamedTensor("plain/0", Modality.PLAIN, NpyArray.ofFloats(Shape.of(2, 2), 1f, 2f, 3f, 4f)),
                new NamedTensor("plain/1", Modality.PLAIN, NpyArray.ofFloats(Shape.of(1), -5f))));
        ModelVersion version = registry.store(federation.id(), Optional.empty(), 0, tensors,
                ServerOptimizerState.none());
        String admin = TestAccess.admin();
        String viewer = TestAccess.user(admin, "viewer-download-" + suffix, "viewer");
        String download = "/console/api/models/" + version.id() + "/download";

        given().cookie(TestAccess.SESSION_COOKIE, viewer).when().get(download).then().statusCode(403);
        byte[] npz = given().cookie(TestAccess.SESSION_COOKIE, admin).when().get(download).then().statusCode(200)
                .header("Content-Disposition", equalTo("attachment; filename=\"callosum-version-" + version.id()
                        + ".npz\"")).extract().asByteArray();
        Map<String, byte[]> members = new LinkedHashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(npz))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                members.put(entry.getName(), zip.readAllBytes());
            }
        }
        assertEquals(List.of("plain/0.npy", "plain/1.npy", NpzArchive.MANIFEST), List.copyOf(members.keySet()));
        assertArrayEquals(new float[] {1f, 2f, 3f, 4f}, NpyCodec.decode(members.get("plain/0.npy")).toFloatArray());
        assertArrayEquals(new float[] {-5f}, NpyCodec.decode(members.get("plain/1.npy")).toFloatArray());

        byte[] archive = given().cookie(TestAccess.SESSION_COOKIE, admin).queryParam("format", "tensors").when()
                .get(download).then().statusCode(200).extract().asByteArray();
        assertEquals(version.content().sha256(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(archive)), "the stored archive, byte for byte");
        given().cookie(TestAccess.SESSION_COOKIE, admin).queryParam("format", "pickle").when().get(download).then()
                .statusCode(400).body("error", equalTo("format must be 'npz' or 'tensors', got 'pickle'"));
        given().cookie(TestAccess.SESSION_COOKIE, admin).when().get("/console/api/models/999999999/download")
                .then().statusCode(404);

        List<AuditEntry> downloads = audit.latest(10, "version-" + version.id());
        assertEquals(List.of("tensors", "npz"), downloads.stream().map(e -> e.detail().get("format").asText())
                .toList());
        assertTrue(downloads.stream().allMatch(e -> e.actor().equals("admin")
                && e.action().equals("model.downloaded")), downloads.toString());
        given().cookie(TestAccess.SESSION_COOKIE, viewer).when().get("/console/api/models").then().statusCode(200)
                .body("id", hasItem((int) version.id()));
    }

    @Test
    void theEventStreamSendsEveryFederationsSnapshot() throws Exception {
        String session = TestAccess.admin();
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
}
