-- Threshold policy versions. Exactly one is ACTIVE at a time (until the first activation the built-in default
-- from configuration applies). Rules are the cohort cut-offs as JSON.
CREATE TABLE threshold_policy (
    version      TEXT        PRIMARY KEY,
    rules        JSONB       NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'RETIRED')),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by   TEXT        NOT NULL,
    reason       TEXT        NOT NULL,
    activated_at TIMESTAMPTZ
);
CREATE UNIQUE INDEX threshold_policy_one_active ON threshold_policy (status) WHERE status = 'ACTIVE';

-- Every change to policies: who, when, why, and what changed.
CREATE TABLE policy_audit (
    id             BIGSERIAL   PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT        NOT NULL,
    action         TEXT        NOT NULL,
    policy_version TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    diff           JSONB       NOT NULL
);
