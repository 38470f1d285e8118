package io.callosum.coordinator;

import io.restassured.http.ContentType;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** The test profile's credentials (application.properties, %test) and console logins over real HTTP. */
public final class TestAccess {
    public static final String ADMIN_PASSWORD = "test-admin-password";
    public static final String BOOTSTRAP_TOKEN = "test-bootstrap-token-0123456789abcdef";
    public static final String SESSION_COOKIE = "callosum_session";

    private TestAccess() {
    }

    /** A console session of the first admin. */
    public static String admin() {
        return login("admin", ADMIN_PASSWORD);
    }

    public static String login(String name, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("name", name, "password", password))
                .when().post("/console/api/login").then().statusCode(200).extract().cookie(SESSION_COOKIE);
    }

    /** Creates a console user with {@code role} through an admin's session, and logs it in. */
    public static String user(String adminSession, String name, String role) {
        String password = "password-of-" + name;
        given().cookie(SESSION_COOKIE, adminSession).contentType(ContentType.JSON)
                .body(Map.of("name", name, "password", password, "role", role))
                .when().post("/console/api/users").then().statusCode(201);
        return login(name, password);
    }
}
