package io.callosum.coordinator.references;

import io.agroal.api.AgroalDataSource;
import io.callosum.encoders.diagnostics.FittedProbe;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code diagnosis_probes} table: weights and calibration scores, so that probes outlive a restart. */
@ApplicationScoped
public class ProbeStore {
    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String SELECT = "SELECT p.id, p.name, p.bank_id, b.name, b.model_version_id, p.modality,"
            + " p.score_function, p.classes, p.feature_mean, p.feature_scale, p.weights, p.fit_subjects,"
            + " p.calibration_scores, p.calibration_accuracy, p.seed, p.created_by, p.created_at"
            + " FROM diagnosis_probes p JOIN reference_banks b ON b.id = p.bank_id";

    private final AgroalDataSource dataSource;

    public ProbeStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores a probe of bank {@code bankId}; refuses a name already taken. */
    public StoredProbe add(String name, long bankId, String modality, String scoreFunction, FittedProbe probe,
                           int fitSubjects, double[] calibrationScores, double calibrationAccuracy, long seed,
                           String actor) {
        String sql = "INSERT INTO diagnosis_probes (name, bank_id, modality, score_function, classes, feature_mean,"
                + " feature_scale, weights, fit_subjects, calibration_scores, calibration_accuracy, seed, created_by)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, name);
            insert.setLong(2, bankId);
            insert.setString(3, modality);
            insert.setString(4, scoreFunction);
            insert.setInt(5, probe.classes());
            insert.setArray(6, connection.createArrayOf("float8", boxed(probe.mean())));
            insert.setArray(7, connection.createArrayOf("float8", boxed(probe.scale())));
            insert.setArray(8, connection.createArrayOf("float8", boxed(Arrays.stream(probe.weights())
                    .flatMapToDouble(Arrays::stream).toArray())));
            insert.setInt(9, fitSubjects);
            insert.setArray(10, connection.createArrayOf("float8", boxed(calibrationScores)));
            insert.setDouble(11, calibrationAccuracy);
            insert.setLong(12, seed);
            insert.setString(13, actor);
            insert.executeUpdate();
        } catch (SQLException e) {
            if (UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw new ReferenceConflictException("a diagnosis probe named '" + name + "' exists already");
            }
            throw new IllegalStateException("diagnosis probe '" + name + "' could not be stored", e);
        }
        return find(name).orElseThrow();
    }

    public Optional<StoredProbe> find(String name) {
        return query(SELECT + " WHERE p.name = ?", name).stream().findFirst();
    }

    public List<StoredProbe> all() {
        return query(SELECT + " ORDER BY p.id", null);
    }

    public boolean delete(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM diagnosis_probes WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("diagnosis probe '" + name + "' could not be deleted", e);
        }
    }

    private List<StoredProbe> query(String sql, String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            if (name != null) {
                query.setString(1, name);
            }
            List<StoredProbe> probes = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    probes.add(probe(rows));
                }
            }
            return probes;
        } catch (SQLException e) {
            throw new IllegalStateException("diagnosis probes could not be read", e);
        }
    }

    private static StoredProbe probe(ResultSet row) throws SQLException {
        int classes = row.getInt(8);
        double[] mean = doubles(row, 9);
        double[] flat = doubles(row, 11);
        double[][] weights = new double[classes][];
        for (int k = 0; k < classes; k++) {
            weights[k] = Arrays.copyOfRange(flat, k * (mean.length + 1), (k + 1) * (mean.length + 1));
        }
        return new StoredProbe(row.getLong(1), row.getString(2), row.getLong(3), row.getString(4), row.getLong(5),
                row.getString(6), row.getString(7), new FittedProbe(mean, doubles(row, 10), weights), row.getInt(12),
                doubles(row, 13), row.getDouble(14), row.getLong(15), row.getString(16),
                row.getObject(17, OffsetDateTime.class));
    }

    private static double[] doubles(ResultSet row, int column) throws SQLException {
        Object[] values = (Object[]) row.getArray(column).getArray();
        return Arrays.stream(values).mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static Double[] boxed(double[] values) {
        return Arrays.stream(values).boxed().toArray(Double[]::new);
    }
}
