-- Communications: stakeholder updates on a cadence, signed webhook delivery, and the status page's shown states.

-- One clock per incident and audience: when the next update is due. Kept in PostgreSQL so every replica agrees; the
-- overdue sweep claims a missed due time with one conditional UPDATE (reminded_due_at), so exactly one replica raises
-- its reminder.
CREATE TABLE stakeholder_update_clock (
    incident_id      uuid        NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    audience         text        NOT NULL,
    severity         text        NOT NULL,
    cadence_minutes  integer     NOT NULL CHECK (cadence_minutes > 0),
    due_at           timestamptz NOT NULL,
    last_update_at   timestamptz,
    reminded_due_at  timestamptz,
    PRIMARY KEY (incident_id, audience)
);
CREATE INDEX stakeholder_update_clock_due ON stakeholder_update_clock (due_at);

-- Updates as posted (operator), "no change" included; figures_json is the snapshot the draft was rendered from, so the
-- next draft can state the trend since this one.
CREATE TABLE stakeholder_update (
    id               uuid        PRIMARY KEY,
    incident_id      uuid        NOT NULL REFERENCES incident (id) ON DELETE CASCADE,
    audience         text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('UPDATE', 'NO_CHANGE')),
    body             text        NOT NULL,
    figures_json     text,
    next_decision    text,
    next_decision_at timestamptz,
    was_due_at       timestamptz,
    next_due_at      timestamptz,
    posted_by        text        NOT NULL,
    posted_at        timestamptz NOT NULL
);
CREATE INDEX stakeholder_update_incident ON stakeholder_update (incident_id, audience, posted_at);

-- Webhook subscribers: a URL, its own signing secret (never logged, never returned after creation), the audiences
-- whose updates it receives, and whether it is the comms role's channel for overdue reminders.
CREATE TABLE webhook_subscriber (
    id                 uuid        PRIMARY KEY,
    name               text        NOT NULL UNIQUE,
    url                text        NOT NULL,
    secret             text        NOT NULL,
    audiences          text        NOT NULL DEFAULT '',
    receives_reminders boolean     NOT NULL DEFAULT false,
    active             boolean     NOT NULL DEFAULT true,
    created_by         text        NOT NULL,
    created_at         timestamptz NOT NULL
);

-- The delivery log and outbox: every webhook to send, its attempts and outcome. A dispatcher claims due rows with
-- FOR UPDATE SKIP LOCKED (several replicas never send one row twice at once), a lease moves next_attempt_at ahead so a
-- replica that dies mid-send leaves the row to be retried.
CREATE TABLE webhook_delivery (
    id               uuid        PRIMARY KEY,
    subscriber_id    uuid        NOT NULL REFERENCES webhook_subscriber (id) ON DELETE CASCADE,
    event_type       text        NOT NULL,
    incident_id      uuid,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('PENDING', 'DELIVERED', 'DEAD')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_attempt_at  timestamptz,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'PENDING';
CREATE INDEX webhook_delivery_log ON webhook_delivery (created_at DESC);

-- What the status page shows per component, and the state it may change to once that has held long enough (flap
-- suppression); shared by replicas, updated under a row lock.
CREATE TABLE status_component (
    component        text        PRIMARY KEY,
    shown_status     text        NOT NULL,
    shown_since      timestamptz NOT NULL,
    candidate_status text,
    candidate_since  timestamptz
);
