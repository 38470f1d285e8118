package io.callosum.coordinator.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.callosum.protocol.federation.SecureFitEntries;
import jakarta.enterprise.context.ApplicationScoped;

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
import java.util.Optional;
import java.util.OptionalDouble;

/** The federations, rounds and round_results tables: what the round engine did, attempt by attempt. */
@ApplicationScoped
public class FederationRecords {
    private static final String ROUND_COLUMNS = "id, round_number, attempt, status, input_version_id,"
            + " output_version_id, failure_reason, metrics::text, timings::text, started_at, completed_at";

    private final AgroalDataSource dataSource;
    private final ObjectMapper json;

    public FederationRecords(AgroalDataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public Optional<StoredFederation> find(String name) {
        String sql = "SELECT id, config::text, status, failure_reason FROM federations WHERE name = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new StoredFederation(row.getLong(1),
                        json.readValue(row.getString(2), FederationPlan.class), row.getString(3), row.getString(4)));
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("federation " + name + " could not be read", e);
        }
    }

    public List<String> names() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT name FROM federations ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            List<String> names = new ArrayList<>();
            while (rows.next()) {
                names.add(rows.getString(1));
            }
            return names;
        } catch (SQLException e) {
            throw new IllegalStateException("federations could not be listed", e);
        }
    }

    public StoredFederation create(FederationPlan plan) {
        String sql = "INSERT INTO federations (name, kind, objective, strategy, rounds, min_sites, fraction_fit,"
                + " round_deadline_seconds, secure_aggregation, config, status)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?::jsonb, 'created') RETURNING id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setString(1, plan.name());
            insert.setString(2, plan.kind().tag());
            insert.setString(3, plan.objective());
            insert.setString(4, plan.strategy().name());
            insert.setInt(5, plan.rounds());
            insert.setInt(6, plan.minSites());
            insert.setDouble(7, plan.fractionFit());
            insert.setLong(8, Math.max(1, plan.roundDeadline().toSeconds()));
            insert.setString(9, json.writeValueAsString(plan));
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return new StoredFederation(id.getLong(1), plan, "created", null);
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("federation " + plan.name() + " could not be created", e);
        }
    }

    public void setStatus(long federationId, String status, String failureReason) {
        update("UPDATE federations SET status = ?, failure_reason = ?, updated_at = now() WHERE id = ?",
                status, failureReason, federationId);
    }

    public int nextAttempt(long federationId, int round) {
        String sql = "SELECT coalesce(max(attempt), 0) + 1 FROM rounds WHERE federation_id = ? AND round_number = ?";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, federationId);
            query.setInt(2, round);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("attempts of round " + round + " could not be counted", e);
        }
    }

    public long startRound(long federationId, int round, int attempt, long inputVersionId) {
        String sql = "INSERT INTO rounds (federation_id, round_number, attempt, status, input_version_id, started_at)"
                + " VALUES (?, ?, ?, 'fitting', ?, now()) RETURNING id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, federationId);
            insert.setInt(2, round);
            insert.setInt(3, attempt);
            insert.setLong(4, inputVersionId);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("round " + round + " could not be started", e);
        }
    }

    public void setRoundStatus(long roundId, String status) {
        update("UPDATE rounds SET status = ? WHERE id = ?", status, roundId);
    }

    public void setOutput(long roundId, long versionId) {
        update("UPDATE rounds SET output_version_id = ? WHERE id = ?", versionId, roundId);
    }

    public void completeRound(long roundId, Map<String, Double> metrics, Map<String, Double> timings) {
        update("UPDATE rounds SET status = 'completed', metrics = ?::jsonb, timings = ?::jsonb, completed_at = now()"
                + " WHERE id = ?", write(metrics), write(timings), roundId);
    }

    public void failRound(long roundId, String reason) {
        update("UPDATE rounds SET status = 'failed', failure_reason = ?, completed_at = now() WHERE id = ?",
                reason, roundId);
    }

    /**
     * Rounds a stopped coordinator left open: those that produced a version count as completed (their
     * evaluation was cut short), the others as failed; the engine retries them as new attempts.
     */
    public int closeInterrupted(long federationId) {
        String note = "interrupted by a coordinator restart";
        return update("UPDATE rounds SET status = CASE WHEN output_version_id IS NULL THEN 'failed' ELSE 'completed'"
                + " END, failure_reason = ?, completed_at = now() WHERE federation_id = ?"
                + " AND status NOT IN ('completed', 'failed')", note, federationId);
    }

    public void recordResult(long roundId, ParticipantOutcome outcome) {
        String sql = "INSERT INTO round_results (round_id, participant, phase, status, examples, seconds, bytes_in,"
                + " bytes_out, loss, metrics, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?)";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(sql)) {
            insert.setLong(1, roundId);
            insert.setString(2, outcome.participant());
            insert.setString(3, outcome.phase().name().toLowerCase());
            insert.setString(4, outcome.status().name().toLowerCase());
            insert.setLong(5, outcome.examples());
            insert.setDouble(6, outcome.seconds());
            insert.setLong(7, outcome.bytesIn());
            insert.setLong(8, outcome.bytesOut());
            if (outcome.loss().isPresent()) {
                insert.setDouble(9, outcome.loss().get());
            } else {
                insert.setNull(9, Types.DOUBLE);
            }
            insert.setString(10, write(outcome.metrics()));
            insert.setString(11, outcome.detail());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("result of " + outcome.participant() + " could not be recorded", e);
        }
    }

    public List<RoundRecord> rounds(long federationId) {
        String sql = "SELECT " + ROUND_COLUMNS + " FROM rounds WHERE federation_id = ? ORDER BY round_number, attempt";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, federationId);
            List<RoundRecord> rounds = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    rounds.add(new RoundRecord(row.getLong(1), row.getInt(2), row.getInt(3), row.getString(4),
                            optionalLong(row, 5), optionalLong(row, 6), row.getString(7), json.readTree(row.getString(8)),
                            json.readTree(row.getString(9)), row.getObject(10, OffsetDateTime.class),
                            row.getObject(11, OffsetDateTime.class)));
                }
            }
            return rounds;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("rounds could not be read", e);
        }
    }

    public List<JsonNode> results(long roundId) {
        String sql = "SELECT json_build_object('participant', participant, 'phase', phase, 'status', status,"
                + " 'examples', examples, 'seconds', seconds, 'bytes_in', bytes_in, 'bytes_out', bytes_out,"
                + " 'loss', loss, 'metrics', metrics, 'detail', detail)::text FROM round_results WHERE round_id = ?"
                + " ORDER BY id";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            query.setLong(1, roundId);
            List<JsonNode> results = new ArrayList<>();
            try (ResultSet row = query.executeQuery()) {
                while (row.next()) {
                    results.add(json.readTree(row.getString(1)));
                }
            }
            return results;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("results of round " + roundId + " could not be read", e);
        }
    }

    /** Each site's latest report of the privacy it spent, by participant name (sites that never reported: none). */
    public Map<String, SitePrivacySpend> privacyBySite() {
        String total = "metrics ->> '" + SecureFitEntries.DP_TOTAL_EPSILON + "'";
        String sql = "SELECT DISTINCT ON (participant) participant, (" + total + ")::float8, (metrics ->> '"
                + SecureFitEntries.DP_BUDGET_EPSILON + "')::float8, (metrics ->> '" + SecureFitEntries.DP_DELTA
                + "')::float8, recorded_at FROM round_results WHERE (" + total + ") IS NOT NULL"
                + " ORDER BY participant, id DESC";
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(sql);
             ResultSet rows = query.executeQuery()) {
            Map<String, SitePrivacySpend> spent = new LinkedHashMap<>();
            while (rows.next()) {
                double budget = rows.getDouble(3);
                OptionalDouble reportedBudget = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(budget);
                spent.put(rows.getString(1), new SitePrivacySpend(rows.getDouble(2), reportedBudget,
                        rows.getDouble(4), rows.getObject(5, OffsetDateTime.class)));
            }
            return spent;
        } catch (SQLException e) {
            throw new IllegalStateException("the sites' privacy spend could not be read", e);
        }
    }

    private static Optional<Long> optionalLong(ResultSet row, int column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private String write(Map<String, Double> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics could not be written", e);
        }
    }

    private int update(String sql, Object... values) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                update.setObject(i + 1, values[i]);
            }
            return update.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("federation record could not be updated: " + sql, e);
        }
    }
}
