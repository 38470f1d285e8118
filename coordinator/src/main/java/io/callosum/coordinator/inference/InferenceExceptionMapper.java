package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.ApiErrors;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

@Provider
public class InferenceExceptionMapper implements ExceptionMapper<InferenceException> {
    @Override
    public Response toResponse(InferenceException refused) {
        return ApiErrors.of(refused.status(), refused.getMessage());
    }
}
