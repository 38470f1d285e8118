package io.callosum.coordinator.references;

import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.tensor.Modality;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code reference_banks} and {@code reference_subjects} tables. A bank belongs to one model version and holds
 * each modality at most once; a modality's subjects arrive in one transaction, with the bank if it is new.
 */
@ApplicationScoped
public class ReferenceBankStore {
    /** PostgreSQL's foreign_key_violation. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";
    private static final String BANKS = "SELECT b.id, b.name, b.model_version_id, b.created_by, b.created_at,"
            + " s.modality, count(s.subject), max(s.label) FROM reference_banks b"
            + " LEFT JOIN reference_subjects s ON s.bank_id = b.id";
    private static final String GROUPED = " GROUP BY b.id, s.modality ORDER BY b.id, s.modality";

    private final AgroalDataSource dataSource;

    public ReferenceBankStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Adds one modality's subjects to the bank {@code name}, creating the bank for {@code modelVersion} if there is
     * none; refuses a bank of another version or one that already holds the modality.
     */
    public StoredBank add(String name, long modelVersion, String actor, BankSubjects subjects) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long bank = bankFor(connection, name, modelVersion, actor, subjects.modality());
                insert(connection, bank, subjects);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reference bank '" + name + "' could not be stored", e);
        }
        return find(name).orElseThrow();
    }

    public Optional<StoredBank> find(String name) {
        return banks(BANKS + " WHERE b.name = ?" + GROUPED, name).stream().findFirst();
    }

    public List<StoredBank> all() {
        return banks(BANKS + GROUPED, null);
    }

    /** The most recently registered bank of {@code modelVersion} holding {@code modality}. */
    public Optional<StoredBank> newest(long modelVersion, Modality modality) {
        String sql = "SELECT b.name FROM reference_banks b WHERE b.model_version_id = ? AND EXISTS (SELECT 1 FROM"
                + " reference_subjects s WHERE s.bank_id = b.id AND s.modality = ?) ORDER BY b.id DESC LIMIT 1";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, modelVersion);
            query.setString(2, modality.tag());
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? find(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reference banks of version " + modelVersion + " could not be read", e);
        }
    }

    /** One modality's subjects of a bank, in subject order. */
    public Optional<BankSubjects> subjects(long bank, Modality modality) {
        String sql = "SELECT subject, vector, label, token_statistics FROM reference_subjects WHERE bank_id = ?"
                + " AND modality = ? ORDER BY subject";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, bank);
            query.setString(2, modality.tag());
            List<String> ids = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            List<float[]> statistics = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                    vectors.add(floats((Object[]) rows.getArray(2).getArray()));
                    int label = rows.getInt(3);
                    labels.add(rows.wasNull() ? BankSubjects.UNLABELLED : label);
                    Array tokens = rows.getArray(4);
                    statistics.add(tokens == null ? null : floats((Object[]) tokens.getArray()));
                }
            }
            if (ids.isEmpty()) {
                return Optional.empty();
            }
            boolean seen = statistics.stream().allMatch(Objects::nonNull);
            return Optional.of(new BankSubjects(modality, ids, vectors.toArray(float[][]::new),
                    labels.stream().mapToInt(Integer::intValue).toArray(),
                    seen ? statistics.toArray(float[][]::new) : null));
        } catch (SQLException e) {
            throw new IllegalStateException("reference subjects of bank " + bank + " could not be read", e);
        }
    }

    /** Deletes a bank and its subjects; false if there was none. Refuses a bank that a diagnosis probe uses. */
    public boolean delete(String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement("DELETE FROM reference_banks WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() == 1;
        } catch (SQLException e) {
            if (FOREIGN_KEY_VIOLATION.equals(e.getSQLState())) {
                throw new ReferenceConflictException("reference bank '" + name + "' is used by a diagnosis probe; delete"
                        + " its probes first (DELETE /api/v1/probes/{name})");
            }
            throw new IllegalStateException("reference bank '" + name + "' could not be deleted", e);
        }
    }

    private static long bankFor(Connection connection, String name, long modelVersion, String actor,
                                Modality modality) throws SQLException {
        try (PreparedStatement find = connection.prepareStatement(
                "SELECT id, model_version_id FROM reference_banks WHERE name = ? FOR UPDATE")) {
            find.setString(1, name);
            try (ResultSet row = find.executeQuery()) {
                if (row.next()) {
                    long bank = row.getLong(1);
                    if (row.getLong(2) != modelVersion) {
                        throw new ReferenceConflictException("reference bank '" + name + "' holds embeddings of model"
                                + " version " + row.getLong(2) + ", not " + modelVersion);
                    }
                    requireAbsent(connection, bank, name, modality);
                    return bank;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO reference_banks (name,"
                + " model_version_id, created_by) VALUES (?, ?, ?) RETURNING id")) {
            insert.setString(1, name);
            insert.setLong(2, modelVersion);
            insert.setString(3, actor);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    private static void requireAbsent(Connection connection, long bank, String name, Modality modality)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM reference_subjects WHERE bank_id = ? AND modality = ?")) {
            query.setLong(1, bank);
            query.setString(2, modality.tag());
            try (ResultSet row = query.executeQuery()) {
                row.next();
                if (row.getLong(1) > 0) {
                    throw new ReferenceConflictException("reference bank '" + name + "' already holds " + row.getLong(1)
                            + " " + modality.tag() + " subjects; delete the bank to register them again");
                }
            }
        }
    }

    private static void insert(Connection connection, long bank, BankSubjects subjects) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO reference_subjects (bank_id,"
                + " modality, subject, vector, label, token_statistics) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < subjects.size(); i++) {
                insert.setLong(1, bank);
                insert.setString(2, subjects.modality().tag());
                insert.setString(3, subjects.subjects().get(i));
                insert.setArray(4, connection.createArrayOf("real", boxed(subjects.vectors()[i])));
                if (subjects.labels()[i] == BankSubjects.UNLABELLED) {
                    insert.setNull(5, Types.INTEGER);
                } else {
                    insert.setInt(5, subjects.labels()[i]);
                }
                if (subjects.hasTokenStatistics()) {
                    insert.setArray(6, connection.createArrayOf("real", boxed(subjects.tokenStatistics()[i])));
                } else {
                    insert.setNull(6, Types.ARRAY);
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private List<StoredBank> banks(String sql, String name) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            if (name != null) {
                query.setString(1, name);
            }
            Map<Long, StoredBank> banks = new LinkedHashMap<>();
            Map<Long, List<StoredBank.Part>> parts = new LinkedHashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long id = rows.getLong(1);
                    banks.computeIfAbsent(id, key -> bank(rows));
                    List<StoredBank.Part> bankParts = parts.computeIfAbsent(id, key -> new ArrayList<>());
                    String modality = rows.getString(6);
                    if (modality != null) {
                        int maxLabel = rows.getInt(8);
                        bankParts.add(new StoredBank.Part(modality, rows.getInt(7), rows.wasNull() ? 0 : maxLabel + 1));
                    }
                }
            }
            List<StoredBank> all = new ArrayList<>();
            banks.forEach((id, bank) -> all.add(new StoredBank(bank.id(), bank.name(), bank.modelVersion(),
                    bank.createdBy(), bank.createdAt(), parts.get(id))));
            return all;
        } catch (SQLException e) {
            throw new IllegalStateException("reference banks could not be read", e);
        }
    }

    private static StoredBank bank(ResultSet row) {
        try {
            return new StoredBank(row.getLong(1), row.getString(2), row.getLong(3), row.getString(4),
                    row.getObject(5, OffsetDateTime.class), List.of());
        } catch (SQLException e) {
            throw new IllegalStateException("reference bank row could not be read", e);
        }
    }

    static Float[] boxed(float[] values) {
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            boxed[i] = values[i];
        }
        return boxed;
    }

    static float[] floats(Object[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = ((Number) values[i]).floatValue();
        }
        return out;
    }
}
