-- Version 3: who may use the inference API and the admin console, and a hash chain over the audit log.
-- Secrets are never stored: an API token only as the SHA-256 of its random 256 bits, a console password only as a
-- salted PBKDF2-HMAC-SHA256 hash whose iteration count travels inside it.

CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   TEXT        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    -- The first characters of the token, so that an operator can tell tokens apart without the secret.
    prefix       TEXT        NOT NULL,
    scopes       TEXT[]      NOT NULL
        CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['embed', 'predict', 'admin']::TEXT[]),
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    revoked_by   TEXT
);

CREATE TABLE console_users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          TEXT        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    password_hash TEXT        NOT NULL CHECK (password_hash LIKE 'pbkdf2-sha256$%'),
    role          TEXT        NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    created_by    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The audit chain: every entry carries the hash of the one before it and its own hash over an unambiguous
-- rendering of its fields (a JSON array), so that rewriting, inserting or removing an entry breaks the chain from
-- there on, even for someone who got past the append-only trigger.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT CHECK (prev_hash ~ '^[0-9a-f]{64}$');
ALTER TABLE audit_log ADD COLUMN hash TEXT CHECK (hash ~ '^[0-9a-f]{64}$');

CREATE FUNCTION audit_log_canonical(prev TEXT, at TIMESTAMPTZ, actor TEXT, action TEXT, subject TEXT, detail JSONB)
    RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT json_build_array(prev, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), actor, action,
                            subject, detail)::text
$$;

CREATE FUNCTION audit_log_digest(canonical TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT encode(sha256(convert_to(canonical, 'UTF8')), 'hex')
$$;

-- The only way in: serializes appenders so that ids and the chain agree, and hashes the entry as it is stored.
CREATE FUNCTION audit_log_append(entry_actor TEXT, entry_action TEXT, entry_subject TEXT, entry_detail JSONB)
    RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    previous TEXT;
    stamp    TIMESTAMPTZ := clock_timestamp();
    new_id   BIGINT;
BEGIN
    LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE;
    SELECT hash INTO previous FROM audit_log ORDER BY id DESC LIMIT 1;
    INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash)
    VALUES (stamp, entry_actor, entry_action, entry_subject, entry_detail, previous,
            audit_log_digest(audit_log_canonical(previous, stamp, entry_actor, entry_action, entry_subject,
                                                 entry_detail)))
    RETURNING id INTO new_id;
    RETURN new_id;
END;
$$;

-- Entries written before this version join the chain once, here; the trigger is off only inside this migration.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_rewrite;
DO $$
DECLARE
    entry    RECORD;
    previous TEXT;
    digest   TEXT;
BEGIN
    FOR entry IN SELECT id, at, actor, action, subject, detail FROM audit_log ORDER BY id LOOP
        digest := audit_log_digest(audit_log_canonical(previous, entry.at, entry.actor, entry.action, entry.subject,
                                                       entry.detail));
        UPDATE audit_log SET prev_hash = previous, hash = digest WHERE id = entry.id;
        previous := digest;
    END LOOP;
END;
$$;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_rewrite;
ALTER TABLE audit_log ALTER COLUMN hash SET NOT NULL;
