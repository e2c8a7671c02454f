-- Kafka events written in the transaction that decided them (a transactional outbox), so an event cannot be lost
-- between a commit and a send: a relay claims due rows with FOR UPDATE SKIP LOCKED, sends each with acknowledgement and
-- marks it SENT. At least once: a send whose acknowledgement was lost is sent again, with the same id.
CREATE TABLE outbox_event (
    -- The event's id: ce_id, and the payload's own event_id. Constant across attempts, so consumers de-duplicate on it.
    id              uuid        PRIMARY KEY,
    -- ce_type: the protobuf full name of the payload, e.g. vigil.events.v1.StakeholderUpdateOverdue.
    event_type      text        NOT NULL,
    -- The Kafka key (events about one incident share it and stay ordered in one partition).
    event_key       text        NOT NULL,
    payload         bytea       NOT NULL,
    -- ce_time: when the fact happened.
    occurred_at     timestamptz NOT NULL,
    status          text        NOT NULL CHECK (status IN ('PENDING', 'SENT')),
    attempts        integer     NOT NULL DEFAULT 0,
    -- When a relay may take it: now for a new event, the end of a claim's lease, or the next retry after a failure.
    next_attempt_at timestamptz NOT NULL,
    last_error      text,
    created_at      timestamptz NOT NULL,
    sent_at         timestamptz
);
CREATE INDEX outbox_event_due ON outbox_event (next_attempt_at) WHERE status = 'PENDING';
