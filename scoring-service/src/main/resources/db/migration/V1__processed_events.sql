-- Consumers are idempotent: an event id recorded here has been applied, so a redelivery is skipped.
CREATE TABLE processed_event (
    event_id    TEXT        PRIMARY KEY,
    event_type  TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
