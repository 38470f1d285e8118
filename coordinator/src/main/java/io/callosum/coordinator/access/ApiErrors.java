package io.callosum.coordinator.access;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one shape of every refusal the API and console give: {@code {"status": 4xx, "error": "what was wrong"}}. */
public final class ApiErrors {
    private ApiErrors() {
    }

    public static Response of(Response.Status status, String error) {
        return of(status.getStatusCode(), error);
    }

    public static Response of(int status, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("error", error);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }
}
