package io.callosum.coordinator.inference;

import io.callosum.coordinator.access.ApiErrors;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;

/**
 * Refuses requests carrying model inputs whose declared length is over {@code callosum.inference.max-upload-bytes} with 413 and
 * a body saying the limit, before the body is parsed; {@code quarkus.http.limits.max-body-size} stays the hard cap
 * for requests that declare no length.
 */
@Provider
@Priority(Priorities.USER)
public class UploadLimitFilter implements ContainerRequestFilter {
    /**
     * The endpoints that take one request's model inputs. Reference registrations carry many subjects at once and are
     * bounded by {@code quarkus.http.limits.max-body-size} only.
     */
    private static final List<String> LIMITED = List.of("/api/v1/embeddings", "/api/v1/retrieve",
            "/api/v1/predictions");

    private final long maxUploadBytes;

    public UploadLimitFilter(@ConfigProperty(name = "callosum.inference.max-upload-bytes",
            defaultValue = InferenceSettings.DEFAULT_MAX_UPLOAD_BYTES) long maxUploadBytes) {
        this.maxUploadBytes = maxUploadBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!request.getMethod().equals("POST") || LIMITED.stream().noneMatch(path::startsWith)) {
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
