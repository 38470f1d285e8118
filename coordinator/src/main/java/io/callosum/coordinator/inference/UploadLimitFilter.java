package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.ApiErrors;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses embedding requests whose declared length is over {@code callosum.inference.max-upload-bytes} with 413 and
 * a body saying the limit, before the body is parsed; {@code quarkus.http.limits.max-body-size} stays the hard cap
 * for requests that declare no length.
 */
@Provider
@Priority(Priorities.USER)
public class UploadLimitFilter implements ContainerRequestFilter {
    private final long maxUploadBytes;

    public UploadLimitFilter(@ConfigProperty(name = "callosum.inference.max-upload-bytes",
            defaultValue = InferenceSettings.DEFAULT_MAX_UPLOAD_BYTES) long maxUploadBytes) {
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!request.getMethod().equals("POST") || !request.getUriInfo().getPath().startsWith("/api/v1/embeddings")) {
            return;
        }
        long length = request.getLength();
        if (length > maxUploadBytes) {
            request.abortWith(ApiErrors.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "request of " + length
                    + " bytes is over the limit of " + maxUploadBytes + " bytes"
                    + " (callosum.inference.max-upload-bytes)"));
        }
    }
}
