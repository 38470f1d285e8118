-- Version 2: what the round engine records. Global versions live as content-addressed blobs beside the database;
-- each row here names its blob, its server-optimizer state blob and its parent. Individual site updates are never
-- stored, only what each site reported about its work.

ALTER TABLE federations DROP CONSTRAINT federations_objective_check;
ALTER TABLE federations ADD CONSTRAINT federations_objective_check
    CHECK (objective IN ('sigreg', 'vicreg', 'ema', 'plain'));
ALTER TABLE federations ADD COLUMN kind TEXT NOT NULL DEFAULT 'jepa' CHECK (kind IN ('jepa', 'plain'));
ALTER TABLE federations ADD COLUMN failure_reason TEXT;
ALTER TABLE federations ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();

ALTER TABLE model_versions ADD COLUMN byte_size BIGINT NOT NULL DEFAULT 0 CHECK (byte_size >= 0);
ALTER TABLE model_versions ADD COLUMN state_hash TEXT CHECK (state_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE model_versions ADD COLUMN state_step BIGINT NOT NULL DEFAULT 0;
ALTER TABLE model_versions DROP COLUMN strategy_state;

ALTER TABLE rounds ADD COLUMN metrics JSONB NOT NULL DEFAULT '{}';
ALTER TABLE rounds ADD COLUMN timings JSONB NOT NULL DEFAULT '{}';

-- One row per participant and phase of a round attempt: what it answered, or how it failed to.
CREATE TABLE round_results (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    round_id    BIGINT      NOT NULL REFERENCES rounds (id),
    participant TEXT        NOT NULL,
    phase       TEXT        NOT NULL CHECK (phase IN ('fit', 'evaluate')),
    status      TEXT        NOT NULL CHECK (status IN ('ok', 'failed', 'rejected', 'dropped', 'timeout')),
    examples    BIGINT      NOT NULL DEFAULT 0 CHECK (examples >= 0),
    seconds     DOUBLE PRECISION NOT NULL DEFAULT 0,
    bytes_in    BIGINT      NOT NULL DEFAULT 0,
    bytes_out   BIGINT      NOT NULL DEFAULT 0,
    loss        DOUBLE PRECISION,
    metrics     JSONB       NOT NULL DEFAULT '{}',
    detail      TEXT,
    recorded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX round_results_round ON round_results (round_id);
