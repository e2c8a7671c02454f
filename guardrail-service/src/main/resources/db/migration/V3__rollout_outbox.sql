-- What the rollouts tell Kafka, written in the transaction that decided it (a transactional outbox): a
-- RolloutStateChanged for vigil.rollouts.v1 and the rollout's watch for the compacted topic the stream reads. A crash
-- between the commit and the send cannot lose them any more (the stream would never learn of a rollback). A relay
-- claims due rows, sends each with acknowledgement and marks it SENT; at least once, with a stable id.
CREATE TABLE rollout_outbox (
    -- Write order: per (kind, event_key) rows are sent strictly in this order (a watch is a compacted topic's latest
    -- value, so an older watch sent after a newer one would win).
    seq             bigserial   PRIMARY KEY,
    -- The event's id: ce_id and the RolloutStateChanged's event_id (watches carry no id; theirs is the row's own).
    -- Constant across attempts, so consumers de-duplicate on it.
    id              uuid        NOT NULL UNIQUE,
    -- STATE_CHANGED (vigil.rollouts.v1, CloudEvents headers) or WATCH (the rollout-watches topic, plain protobuf).
    kind            text        NOT NULL CHECK (kind IN ('STATE_CHANGED', 'WATCH')),
    -- The Kafka key: the rollout id.
    event_key       text        NOT NULL,
    payload         bytea       NOT NULL,
    -- ce_time: when the change happened (event time for verdict-driven changes).
    occurred_at     timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SENT')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- When a relay may take it: now for a new row, the end of a claim's lease, or the next retry after a failure.
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX rollout_outbox_due ON rollout_outbox (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX rollout_outbox_pending_by_key ON rollout_outbox (kind, event_key, seq) WHERE status = 'PENDING';
CREATE INDEX rollout_outbox_sent ON rollout_outbox (sent_at) WHERE status = 'SENT';
