-- Every answered Score call, keyed by the checkout's idempotency key. The response is kept as sent (protobuf bytes),
-- so a retry gets the identical decision, decision_id included; the fingerprint tells a retry from a reused id.
CREATE TABLE decision (
    transaction_id  TEXT             PRIMARY KEY,
    decision_id     TEXT             NOT NULL UNIQUE,
    fingerprint     BIGINT           NOT NULL,
    decision        TEXT             NOT NULL,
    score           DOUBLE PRECISION NOT NULL,
    model_version   TEXT             NOT NULL,
    policy_version  TEXT             NOT NULL,
    cohort          TEXT             NOT NULL,
    fallback_cause  TEXT             NOT NULL,
    response        BYTEA            NOT NULL,
    decided_at      TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX decision_decided_at ON decision (decided_at);
