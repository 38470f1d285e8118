-- Version 6: what operators do to sites from the console, kept so that a restarted coordinator still enforces it,
-- and the certificate each site last presented over mTLS (for its expiry on the sites page). Who did what and why
-- is also in the audit log; these tables hold only what is in force now.

-- A site excluded from rounds: its Join is admitted but no round selects it until an operator re-includes it
-- (which deletes the row).
CREATE TABLE site_exclusions (
    site        TEXT        PRIMARY KEY CHECK (site ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    reason      TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    excluded_by TEXT        NOT NULL,
    excluded_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Certificates an operator revoked, by serial (upper-case hex as openssl prints it). The coordinator refuses them
-- on its site listener whether or not it holds the CA key; when it does, the serial is also on the consortium's
-- signed revocation list, whose number is kept here.
CREATE TABLE certificate_revocations (
    serial      TEXT        PRIMARY KEY CHECK (serial ~ '^[0-9A-F]+$'),
    site        TEXT        NOT NULL,
    reason      TEXT        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    revoked_by  TEXT        NOT NULL,
    revoked_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    crl_number  NUMERIC
);

ALTER TABLE sites
    ADD COLUMN certificate_serial      TEXT CHECK (certificate_serial ~ '^[0-9A-F]+$'),
    ADD COLUMN certificate_fingerprint TEXT,
    ADD COLUMN certificate_not_after   TIMESTAMPTZ;

-- The sites page reads each site's latest reported privacy spend.
CREATE INDEX round_results_privacy ON round_results (participant, id DESC)
    WHERE (metrics ->> 'privacy.total_epsilon') IS NOT NULL;
