-- Latest value per (entity, feature). An update only replaces a row when its event time is newer, so replays and
-- out-of-order deliveries never overwrite a newer value. REJECTed values never land here (see quarantined_value).
CREATE TABLE feature_value (
    entity_type  TEXT        NOT NULL,
    entity_id    TEXT        NOT NULL,
    feature      TEXT        NOT NULL,
    -- canonical value as text (parsed by value_type); NULL for an accepted null of a nullable feature
    value        TEXT,
    value_type   TEXT        NOT NULL,
    status       TEXT        NOT NULL CHECK (status IN ('ACCEPT', 'FLAG')),
    flag_reason  TEXT,
    event_time   TIMESTAMPTZ NOT NULL,
    producer     TEXT        NOT NULL,
    event_id     TEXT        NOT NULL,
    -- the feature set version that judged it, e.g. checkout-features@1
    feature_set  TEXT        NOT NULL,
    ingested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (entity_type, entity_id, feature)
);

-- REJECTed values with the reason and the whole update as received, until an operator replays them after a fix.
CREATE TABLE quarantined_value (
    id             BIGSERIAL   PRIMARY KEY,
    event_id       TEXT        NOT NULL,
    producer       TEXT        NOT NULL,
    entity_type    TEXT        NOT NULL,
    entity_id      TEXT        NOT NULL,
    feature        TEXT        NOT NULL,
    event_time     TIMESTAMPTZ NOT NULL,
    reason         TEXT        NOT NULL,
    detail         TEXT        NOT NULL,
    raw_value      TEXT,
    raw_payload    TEXT        NOT NULL,
    feature_set    TEXT        NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    replayed_at    TIMESTAMPTZ,
    replay_outcome TEXT,
    UNIQUE (event_id, feature)
);
CREATE INDEX quarantined_value_open ON quarantined_value (feature, id) WHERE replayed_at IS NULL;

-- Upstream schema drift: unknown fields, missing fields, type changes, one row per producer, entity, field and kind.
CREATE TABLE schema_drift (
    producer      TEXT        NOT NULL,
    entity_type   TEXT        NOT NULL,
    field         TEXT        NOT NULL,
    kind          TEXT        NOT NULL CHECK (kind IN ('UNKNOWN_FIELD', 'MISSING_FIELD', 'TYPE_CHANGED')),
    detail        TEXT        NOT NULL,
    occurrences   BIGINT      NOT NULL,
    first_seen    TIMESTAMPTZ NOT NULL,
    last_seen     TIMESTAMPTZ NOT NULL,
    last_event_id TEXT        NOT NULL,
    PRIMARY KEY (producer, entity_type, field, kind)
);

-- Feature set versions registered over REST (the shipped contract files are not stored here).
CREATE TABLE feature_set_version (
    name          TEXT        NOT NULL,
    version       INT         NOT NULL,
    definition    TEXT        NOT NULL,
    registered_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (name, version)
);
