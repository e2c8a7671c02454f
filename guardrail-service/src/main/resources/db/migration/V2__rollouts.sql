-- Rollouts (issue #16): the plan, the state machine's state, its steps, sign-offs, every change's audit entry and
-- every verdict received. State that several replicas must agree on lives here; a change locks its rollout row
-- (SELECT ... FOR UPDATE) and bumps version.

CREATE TABLE rollout (
    id              text PRIMARY KEY,
    model_version   text,
    policy_version  text,
    state           text        NOT NULL,
    -- While ROLLING_BACK: where the restore ends, ROLLED_BACK (a verdict) or ABORTED (an operator).
    ending          text,
    step_index      integer     NOT NULL DEFAULT 0,
    alpha           double precision NOT NULL,
    -- The validated plan as JSON (steps and guardrails as given, margins with their units).
    plan            text        NOT NULL,
    -- The line-up scoring-service served before the rollout touched it (JSON), restored exactly on rollback/abort.
    lineup_before   text,
    last_verdict_id   text,
    last_verdict_kind text,
    created_at      timestamptz NOT NULL,
    created_by      text        NOT NULL,
    updated_at      timestamptz NOT NULL,
    version         bigint      NOT NULL DEFAULT 0,
    CHECK (model_version IS NOT NULL OR policy_version IS NOT NULL)
);

-- One active rollout per target model and per target policy (checked first for a 409; these are the backstop).
CREATE UNIQUE INDEX rollout_active_model ON rollout (model_version)
    WHERE model_version IS NOT NULL AND state NOT IN ('ROLLED_BACK', 'COMPLETED', 'ABORTED');
CREATE UNIQUE INDEX rollout_active_policy ON rollout (policy_version)
    WHERE policy_version IS NOT NULL AND state NOT IN ('ROLLED_BACK', 'COMPLETED', 'ABORTED');
CREATE INDEX rollout_by_state ON rollout (state);

CREATE TABLE rollout_step (
    rollout_id          text    NOT NULL REFERENCES rollout (id),
    step_index          integer NOT NULL,
    share               double precision NOT NULL,
    minimum_duration_ms bigint  NOT NULL,
    minimum_exposure    bigint  NOT NULL,
    -- Roles that must sign off before promotion past this step, comma-separated.
    sign_off            text    NOT NULL DEFAULT '',
    -- When the step went live (event time: now for operator changes, the verdict's evaluated_at for verdict-driven).
    started_at          timestamptz,
    PRIMARY KEY (rollout_id, step_index)
);

CREATE TABLE rollout_sign_off (
    id          bigserial PRIMARY KEY,
    rollout_id  text        NOT NULL REFERENCES rollout (id),
    step_index  integer     NOT NULL,
    role        text        NOT NULL,
    subject     text        NOT NULL,
    at          timestamptz NOT NULL,
    UNIQUE (rollout_id, step_index, role)
);

CREATE TABLE rollout_audit (
    id              bigserial PRIMARY KEY,
    rollout_id      text        NOT NULL REFERENCES rollout (id),
    at              timestamptz NOT NULL,
    actor           text        NOT NULL,
    action          text        NOT NULL,
    reason          text        NOT NULL,
    state_before    text,
    state_after     text        NOT NULL,
    step_before     integer,
    step_after      integer     NOT NULL,
    share_before    double precision,
    share_after     double precision NOT NULL,
    lineup_before   text,
    lineup_after    text,
    verdict_id      text
);
CREATE INDEX rollout_audit_by_rollout ON rollout_audit (rollout_id, id);

CREATE TABLE rollout_verdict (
    verdict_id      text PRIMARY KEY,
    rollout_id      text        NOT NULL,
    kind            text        NOT NULL,
    evaluated_at    timestamptz NOT NULL,
    treatment_share double precision NOT NULL,
    reason          text        NOT NULL,
    -- The VerdictIssued as received (protobuf): the evidence, for REST and the charts.
    payload         bytea       NOT NULL,
    received_at     timestamptz NOT NULL,
    -- What this service did about it: ROLLED_BACK, PROMOTED, AWAITING_SIGN_OFF, COMPLETED, STORED, ...
    outcome         text
);
CREATE INDEX rollout_verdict_by_rollout ON rollout_verdict (rollout_id, evaluated_at);
