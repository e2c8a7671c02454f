-- Incidents and everything an incident is run with: timeline, roles, decisions, mitigations, action items, audit,
-- and the metric windows and alarms the all-clear criteria are checked against. Times are event times unless the
-- column says recorded_at.

CREATE TABLE incident (
    id                      UUID             PRIMARY KEY,
    title                   TEXT             NOT NULL,
    state                   TEXT             NOT NULL,
    severity                TEXT             NOT NULL,
    -- What one cause is grouped by (e.g. "INCORRECT_APPROVAL_RATE|country=CA & age=18-24" or "rollout:r-42");
    -- alarms with the same key inside the grouping window join the open incident instead of opening another.
    grouping_key            TEXT             NOT NULL,
    opened_at               TIMESTAMPTZ      NOT NULL,
    last_event_at           TIMESTAMPTZ      NOT NULL,
    -- Status-page components affected, comma-separated: checkout-risk-scoring, step-up, payments-<region>.
    components              TEXT             NOT NULL DEFAULT '',
    -- Impact: excess harmed transactions (CI bounds), money at stake, share of checkout affected, SLA breached.
    excess_harmed_low       DOUBLE PRECISION NOT NULL DEFAULT 0,
    excess_harmed_high      DOUBLE PRECISION NOT NULL DEFAULT 0,
    money_at_stake          DOUBLE PRECISION NOT NULL DEFAULT 0,
    checkout_share          DOUBLE PRECISION NOT NULL DEFAULT 0,
    sla_breached            BOOLEAN          NOT NULL DEFAULT FALSE,
    -- What opened it: the metric, cohort and rollout of the first alarm (empty when opened by hand).
    metric                  TEXT             NOT NULL DEFAULT '',
    cohort                  TEXT             NOT NULL DEFAULT '',
    rollout_id              TEXT             NOT NULL DEFAULT '',
    opened_by               TEXT             NOT NULL,
    -- Severity hysteresis: the level the impact table gives, and since when (event time) a lower level has held.
    computed_severity       TEXT             NOT NULL,
    lower_severity          TEXT,
    lower_severity_since    TIMESTAMPTZ,
    severity_override_reason TEXT,
    severity_overridden_by  TEXT,
    -- All-clear criteria (defaults from the opening alarm) and the proposal when they are met.
    criteria_metric         TEXT,
    criteria_cohort         TEXT,
    criteria_threshold      DOUBLE PRECISION,
    criteria_windows        INTEGER,
    criteria_window_minutes INTEGER,
    criteria_volume_tolerance DOUBLE PRECISION,
    criteria_queue_share    DOUBLE PRECISION,
    baseline_volume         DOUBLE PRECISION,
    resolution_proposed_at  TIMESTAMPTZ,
    resolution_evidence     TEXT,
    resolved_at             TIMESTAMPTZ,
    closed_at               TIMESTAMPTZ,
    created_at              TIMESTAMPTZ      NOT NULL DEFAULT now(),
    version                 BIGINT           NOT NULL DEFAULT 0
);
CREATE INDEX incident_grouping ON incident (grouping_key, last_event_at);
CREATE INDEX incident_state ON incident (state);

CREATE TABLE timeline_entry (
    id            UUID        PRIMARY KEY,
    incident_id   UUID        NOT NULL REFERENCES incident (id),
    -- Event time of the entry (first_seen for folded entries); reads order by it, so a late event lands in place.
    occurred_at   TIMESTAMPTZ NOT NULL,
    kind          TEXT        NOT NULL,
    summary       TEXT        NOT NULL,
    detail        TEXT        NOT NULL DEFAULT '',
    -- Repeated alarms with the same fold key fold into one entry: first seen, last seen, count.
    fold_key      TEXT,
    first_seen    TIMESTAMPTZ NOT NULL,
    last_seen     TIMESTAMPTZ NOT NULL,
    occurrences   INTEGER     NOT NULL DEFAULT 1,
    source_event_id TEXT,
    -- For alarm series: the latest impact that series measured; the incident's impact sums its series.
    excess_harmed_low  DOUBLE PRECISION,
    excess_harmed_high DOUBLE PRECISION,
    money_at_stake     DOUBLE PRECISION,
    checkout_share     DOUBLE PRECISION,
    author        TEXT        NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    version       BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX timeline_entry_incident ON timeline_entry (incident_id, occurred_at);
CREATE UNIQUE INDEX timeline_entry_fold ON timeline_entry (incident_id, fold_key) WHERE fold_key IS NOT NULL;

CREATE TABLE incident_audit (
    id          UUID        PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES incident (id),
    actor       TEXT        NOT NULL,
    action      TEXT        NOT NULL,
    detail      TEXT        NOT NULL DEFAULT '',
    recorded_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX incident_audit_incident ON incident_audit (incident_id, recorded_at);

CREATE TABLE role_assignment (
    id          UUID        PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES incident (id),
    role        TEXT        NOT NULL,
    assignee    TEXT        NOT NULL,
    assigned_by TEXT        NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL,
    UNIQUE (incident_id, role)
);

CREATE TABLE decision (
    id          UUID        PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES incident (id),
    decision    TEXT        NOT NULL,
    options     TEXT        NOT NULL DEFAULT '',
    rationale   TEXT        NOT NULL,
    owner       TEXT        NOT NULL,
    decided_at  TIMESTAMPTZ NOT NULL,
    recorded_by TEXT        NOT NULL
);
CREATE INDEX decision_incident ON decision (incident_id, decided_at);

CREATE TABLE mitigation_action (
    id          UUID        PRIMARY KEY,
    incident_id UUID        NOT NULL REFERENCES incident (id),
    description TEXT        NOT NULL,
    rollout_id  TEXT        NOT NULL DEFAULT '',
    status      TEXT        NOT NULL,
    owner       TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX mitigation_action_incident ON mitigation_action (incident_id);
CREATE INDEX mitigation_action_rollout ON mitigation_action (rollout_id);

CREATE TABLE action_item (
    id           UUID        PRIMARY KEY,
    incident_id  UUID        NOT NULL REFERENCES incident (id),
    kind         TEXT        NOT NULL,
    description  TEXT        NOT NULL,
    owner        TEXT        NOT NULL,
    due_date     DATE        NOT NULL,
    verification TEXT        NOT NULL,
    done_at      TIMESTAMPTZ,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    version      BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX action_item_due ON action_item (due_date) WHERE done_at IS NULL;

-- Closed metric windows from vigil.cohort-metrics.v1; a revision replaces the window it revises.
CREATE TABLE cohort_window (
    -- "<metric>|<cohort>|<window_start>"
    id            TEXT             PRIMARY KEY,
    metric        TEXT             NOT NULL,
    cohort        TEXT             NOT NULL,
    window_start  TIMESTAMPTZ      NOT NULL,
    window_end    TIMESTAMPTZ      NOT NULL,
    numerator     BIGINT           NOT NULL,
    denominator   BIGINT           NOT NULL,
    decisions     BIGINT           NOT NULL,
    baseline_rate DOUBLE PRECISION NOT NULL,
    revision      INTEGER          NOT NULL,
    version       BIGINT           NOT NULL DEFAULT 0
);
CREATE INDEX cohort_window_series ON cohort_window (metric, cohort, window_start);

-- Alarms as last reported per (source, metric, cohort): the adjacent-cohort check of the all-clear reads them.
CREATE TABLE cohort_alarm (
    -- "<source>|<metric>|<cohort>"
    id          TEXT        PRIMARY KEY,
    metric      TEXT        NOT NULL,
    cohort      TEXT        NOT NULL,
    source      TEXT        NOT NULL,
    active      BOOLEAN     NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    version     BIGINT      NOT NULL DEFAULT 0
);
CREATE INDEX cohort_alarm_metric ON cohort_alarm (metric) WHERE active;

-- Service starts from vigil.service-lifecycle.v1, kept so an incident opened later still shows the deploys before it.
CREATE TABLE deploy_marker (
    event_id    TEXT        PRIMARY KEY,
    service     TEXT        NOT NULL,
    version     TEXT        NOT NULL,
    instance_id TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX deploy_marker_started ON deploy_marker (started_at);
