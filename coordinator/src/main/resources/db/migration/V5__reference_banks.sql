-- Version 5: reference banks and diagnosis probes of the inference API.
-- A reference bank holds the encoder embeddings of consented or generated reference subjects (never site data) that
-- an operator registered for one model version, per modality, optionally labelled. Out-of-distribution scores,
-- cross-modal retrieval and diagnosis probes are computed from them, so they outlive a coordinator restart.

CREATE TABLE reference_banks (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name             TEXT        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    model_version_id BIGINT      NOT NULL REFERENCES model_versions (id),
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX reference_banks_version ON reference_banks (model_version_id);

CREATE TABLE reference_subjects (
    bank_id  BIGINT  NOT NULL REFERENCES reference_banks (id) ON DELETE CASCADE,
    modality TEXT    NOT NULL CHECK (modality IN ('imaging', 'eeg', 'omics')),
    subject  TEXT    NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    -- The model version's pooled encoder embedding of the subject (not its shared-space image: heads project it).
    vector   REAL[]  NOT NULL CHECK (cardinality(vector) > 0),
    label    INTEGER CHECK (label >= 0),
    PRIMARY KEY (bank_id, modality, subject)
);

-- A linear probe fitted on part of a labelled bank modality and the conformal scores of the rest: enough to give
-- class probabilities and a conformal set at any coverage the calibration size allows.
CREATE TABLE diagnosis_probes (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                 TEXT             NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    -- A bank in use by a probe cannot be deleted; the probe goes first.
    bank_id              BIGINT           NOT NULL REFERENCES reference_banks (id),
    modality             TEXT             NOT NULL CHECK (modality IN ('imaging', 'eeg', 'omics')),
    score_function       TEXT             NOT NULL CHECK (score_function IN ('aps', 'lac')),
    classes              INTEGER          NOT NULL CHECK (classes >= 2),
    -- Standardization of the embedding (per dimension), then classes × (dimension + 1) weights, row-major,
    -- each row's bias last.
    feature_mean         DOUBLE PRECISION[] NOT NULL,
    feature_scale        DOUBLE PRECISION[] NOT NULL,
    weights              DOUBLE PRECISION[] NOT NULL
        CHECK (cardinality(weights) = classes * (cardinality(feature_mean) + 1)),
    fit_subjects         INTEGER          NOT NULL CHECK (fit_subjects > 0),
    calibration_scores   DOUBLE PRECISION[] NOT NULL CHECK (cardinality(calibration_scores) > 0),
    calibration_accuracy DOUBLE PRECISION NOT NULL CHECK (calibration_accuracy BETWEEN 0 AND 1),
    seed                 BIGINT           NOT NULL,
    created_by           TEXT             NOT NULL,
    created_at           TIMESTAMPTZ      NOT NULL DEFAULT now()
);
