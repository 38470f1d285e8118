package io.callosum.coordinator.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.callosum.coordinator.strategy.ServerOptimizerState;
import io.callosum.protocol.tensor.Modality;
import io.callosum.protocol.tensor.NamedTensor;
import io.callosum.protocol.tensor.TensorSet;
import io.callosum.protocol.transfer.BlobId;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Global model versions: tensors as content-addressed blobs, metadata and lineage in PostgreSQL. The blob is
 * written (and synced) before its row, so a row never names a blob that is not there.
 */
@ApplicationScoped
public class ModelRegistry {
    private static final String COLUMNS = "id, federation_id, parent_id, round_number, content_hash, byte_size,"
            + " state_hash, state_step, created_at";

    private final AgroalDataSource dataSource;
    private final ModelStorage storage;
    private final ObjectMapper json;

    public ModelRegistry(AgroalDataSource dataSource, ModelStorage storage, ObjectMapper json) {
        this.dataSource = dataSource;
        this.storage = storage;
        this.json = json;
    }

    public ModelVersion store(long federationId, Optional<ModelVersion> parent, int round, TensorSet model,
                              ServerOptimizerState state) {
        BlobId content = storage.keep(model);
        Optional<BlobId> stateBlob = state.moments().size() == 0 ? Optional.empty()
                : Optional.of(storage.keep(state.moments()));
        String sql = "INSERT INTO model_versions (federation_id, parent_id, round_number, manifest, content_hash,"
                + " byte_size, state_hash, state_step) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?, ?) RETURNING " + COLUMNS;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, federationId);
            if (parent.isPresent()) {
                insert.setLong(2, parent.get().id());
            } else {
                insert.setNull(2, Types.BIGINT);
            }
            insert.setInt(3, round);
            insert.setString(4, manifestJson(model));
            insert.setString(5, content.sha256());
            insert.setLong(6, model.byteSize());
            insert.setString(7, stateBlob.map(BlobId::sha256).orElse(null));
            insert.setLong(8, state.step());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return version(row);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("version of round " + round + " could not be recorded", e);
        }
    }

    public Optional<ModelVersion> latest(long federationId) {
        List<ModelVersion> found = query("SELECT " + COLUMNS + " FROM model_versions WHERE federation_id = ?"
                + " ORDER BY round_number DESC LIMIT 1", federationId);
        return found.stream().findFirst();
    }

    public List<ModelVersion> versions(long federationId) {
        return query("SELECT " + COLUMNS + " FROM model_versions WHERE federation_id = ? ORDER BY round_number",
                federationId);
    }

    public Optional<ModelVersion> byId(long id) {
        return query("SELECT " + COLUMNS + " FROM model_versions WHERE id = ?", id).stream().findFirst();
    }

    /** The modalities a version holds tensors of, read from its stored manifest rather than its blob. */
    public Set<Modality> modalities(long versionId) {
        String sql = "SELECT DISTINCT t->>'modality' FROM model_versions, jsonb_array_elements(manifest) AS t"
                + " WHERE id = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, versionId);
            Set<Modality> modalities = EnumSet.noneOf(Modality.class);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    modalities.add(Modality.fromTag(rows.getString(1)));
                }
            }
            return modalities;
        } catch (SQLException e) {
            throw new IllegalStateException("manifest of version " + versionId + " could not be read", e);
        }
    }

    public TensorSet tensors(ModelVersion version) {
        return storage.version(version.content());
    }

    public ServerOptimizerState state(ModelVersion version) {
        return new ServerOptimizerState(version.stateStep(), version.state().map(storage::version)
                .orElse(ServerOptimizerState.none().moments()));
    }

    private List<ModelVersion> query(String sql, long key) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, key);
            List<ModelVersion> versions = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    versions.add(version(rows));
                }
            }
            return versions;
        } catch (SQLException e) {
            throw new IllegalStateException("model versions could not be read", e);
        }
    }

    private static ModelVersion version(ResultSet row) throws SQLException {
        long parent = row.getLong(3);
        Optional<Long> parentId = row.wasNull() ? Optional.empty() : Optional.of(parent);
        String state = row.getString(7);
        return new ModelVersion(row.getLong(1), row.getLong(2), parentId, row.getInt(4), BlobId.of(row.getString(5)),
                row.getLong(6), Optional.ofNullable(state).map(BlobId::of), row.getLong(8),
                row.getObject(9, OffsetDateTime.class));
    }

    private String manifestJson(TensorSet model) {
        List<Map<String, Object>> specs = new ArrayList<>();
        for (NamedTensor tensor : model) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", tensor.name());
            spec.put("modality", tensor.modality().tag());
            spec.put("dtype", tensor.array().dtype().code());
            spec.put("shape", tensor.array().shape().toString());
            specs.add(spec);
        }
        try {
            return json.writeValueAsString(specs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("manifest could not be written", e);
        }
    }
}
