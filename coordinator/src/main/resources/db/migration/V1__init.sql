-- Callosum coordinator schema, version 1: the registry of sites, federations, rounds and model versions,
-- and the append-only audit log that every event lands in. Tensor storage arrives with the round engine.

CREATE TABLE sites (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                TEXT        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    certificate_subject TEXT UNIQUE,
    modalities          TEXT[]      NOT NULL DEFAULT '{}'
        CHECK (modalities <@ ARRAY['imaging', 'eeg', 'omics', 'shared']::TEXT[]),
    status              TEXT        NOT NULL DEFAULT 'registered'
        CHECK (status IN ('registered', 'active', 'suspended', 'revoked')),
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at        TIMESTAMPTZ
);

CREATE TABLE federations (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                   TEXT             NOT NULL UNIQUE,
    objective              TEXT             NOT NULL CHECK (objective IN ('sigreg', 'vicreg', 'ema')),
    strategy               TEXT             NOT NULL CHECK (strategy IN ('fedavg', 'fedprox', 'fedadam', 'fedyogi')),
    rounds                 INTEGER          NOT NULL CHECK (rounds > 0),
    min_sites              INTEGER          NOT NULL CHECK (min_sites > 0),
    fraction_fit           DOUBLE PRECISION NOT NULL CHECK (fraction_fit > 0 AND fraction_fit <= 1),
    round_deadline_seconds INTEGER          NOT NULL CHECK (round_deadline_seconds > 0),
    secure_aggregation     BOOLEAN          NOT NULL DEFAULT TRUE,
    config                 JSONB            NOT NULL DEFAULT '{}',
    status                 TEXT             NOT NULL DEFAULT 'created'
        CHECK (status IN ('created', 'running', 'completed', 'failed', 'cancelled')),
    created_at             TIMESTAMPTZ      NOT NULL DEFAULT now()
);

CREATE TABLE model_versions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    federation_id BIGINT      NOT NULL REFERENCES federations (id),
    parent_id     BIGINT      REFERENCES model_versions (id),
    round_number  INTEGER     NOT NULL CHECK (round_number >= 0),
    -- Ordered tensor names, modalities, dtypes and shapes (the protocol's TensorManifest).
    manifest      JSONB       NOT NULL,
    content_hash  TEXT        NOT NULL CHECK (content_hash ~ '^[0-9a-f]{64}$'),
    strategy_state JSONB,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (federation_id, round_number)
);

CREATE TABLE rounds (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    federation_id     BIGINT      NOT NULL REFERENCES federations (id),
    round_number      INTEGER     NOT NULL CHECK (round_number > 0),
    attempt           INTEGER     NOT NULL DEFAULT 1 CHECK (attempt > 0),
    status            TEXT        NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'fitting', 'aggregating', 'evaluating', 'completed', 'failed')),
    input_version_id  BIGINT      REFERENCES model_versions (id),
    output_version_id BIGINT      REFERENCES model_versions (id),
    failure_reason    TEXT,
    started_at        TIMESTAMPTZ,
    completed_at      TIMESTAMPTZ,
    UNIQUE (federation_id, round_number, attempt)
);

CREATE TABLE audit_log (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at       TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    actor    TEXT        NOT NULL,
    action   TEXT        NOT NULL CHECK (action ~ '^[a-z]+(\.[a-z_]+)+$'),
    subject  TEXT,
    detail   JSONB       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_subject ON audit_log (subject);

-- A security reviewer must be able to trust that history is never rewritten.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_log_no_rewrite
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
