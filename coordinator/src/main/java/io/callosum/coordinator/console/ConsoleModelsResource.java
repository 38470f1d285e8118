package io.callosum.coordinator.console;

import io.callosum.coordinator.access.ApiErrors;
import io.callosum.coordinator.access.Caller;
import io.callosum.coordinator.access.RequiresRole;
import io.callosum.coordinator.access.Role;
import io.callosum.coordinator.audit.AuditLog;
import io.callosum.coordinator.inference.ModelCatalog;
import io.callosum.coordinator.inference.ModelEntry;
import io.callosum.coordinator.registry.ModelRegistry;
import io.callosum.coordinator.registry.ModelStorage;
import io.callosum.coordinator.registry.ModelVersion;
import io.callosum.protocol.tensor.NpzArchive;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The console's models page: every version with its lineage and metrics, and its tensors for download. */
@Path("/console/api/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "console")
public class ConsoleModelsResource {
    private static final String NPZ = "npz";
    private static final String TENSORS = "tensors";

    private final ModelCatalog catalog;
    private final ModelRegistry registry;
    private final ModelStorage storage;
    private final AuditLog audit;
    private final Caller caller;

    public ConsoleModelsResource(ModelCatalog catalog, ModelRegistry registry, ModelStorage storage, AuditLog audit,
                                 Caller caller) {
        this.catalog = catalog;
        this.registry = registry;
        this.storage = storage;
        this.audit = audit;
        this.caller = caller;
    }

    @GET
    @RequiresRole(Role.VIEWER)
    public List<ModelEntry> models() {
        return catalog.entries();
    }

    /**
     * A version's tensors: {@code npz} for NumPy ({@link NpzArchive}), or {@code tensors} for the stored
     * Callosum tensor archive itself, byte for byte, whose SHA-256 is the version's content hash.
     */
    @GET
    @Path("/{id}/download")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @RequiresRole(Role.OPERATOR)
    @Operation(summary = "Downloads a version's tensors as .npz or as the stored tensor archive")
    public Response download(@PathParam("id") long id, @QueryParam("format") @DefaultValue(NPZ) String format) {
        if (!format.equals(NPZ) && !format.equals(TENSORS)) {
            return ApiErrors.of(Response.Status.BAD_REQUEST, "format must be '" + NPZ + "' or '" + TENSORS
                    + "', got '" + format + "'");
        }
        Optional<ModelVersion> found = registry.byId(id);
        if (found.isEmpty()) {
            return ApiErrors.of(Response.Status.NOT_FOUND, "no model version " + id);
        }
        ModelVersion version = found.get();
        StreamingOutput body = format.equals(NPZ)
                ? out -> NpzArchive.write(registry.tensors(version), out)
                : out -> Files.copy(storage.versions().path(version.content()), out);
        audit.record(caller.actor(), "model.downloaded", "version-" + id, Map.of("format", format,
                "sha256", version.content().sha256(), "round", version.round()));
        String file = "callosum-version-" + id + (format.equals(NPZ) ? ".npz" : ".tensors");
        return Response.ok(body, MediaType.APPLICATION_OCTET_STREAM)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"")
                .build();
    }
}
