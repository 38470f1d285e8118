package io.callosum.coordinator.api;

import io.callosum.coordinator.access.ApiErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Input the coordinator refused (a bad plan, scope, name or tensor) is the caller's error: 400 saying why. */
@Provider
public class BadInputMapper implements ExceptionMapper<IllegalArgumentException> {
    @Override
    public Response toResponse(IllegalArgumentException refused) {
        return ApiErrors.of(Response.Status.BAD_REQUEST, refused.getMessage());
    }
}
