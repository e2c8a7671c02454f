-- Cohort monitors (README, "Cohort monitors"): the stream's counts per monitor, event-time bucket and source
-- partition, how far each partition has counted, each monitor's detector state, and its alarms. Kept here, not in
-- one instance's memory, so every replica's REST and gauges agree and a restart keeps the history.

-- Absolute counts as one partition's task has them (replaced, never added to: a resend after a restore is harmless).
-- MINUTE rows feed the detectors and are pruned after hours; HOUR rows are the history the baselines come from.
CREATE TABLE monitor_count (
    monitor_id       text        NOT NULL,
    granularity      text        NOT NULL CHECK (granularity IN ('MINUTE', 'HOUR')),
    bucket_start     timestamptz NOT NULL,
    source_partition integer     NOT NULL,
    exposure         bigint      NOT NULL CHECK (exposure >= 0),
    events           bigint      NOT NULL CHECK (events >= 0),
    PRIMARY KEY (granularity, bucket_start, monitor_id, source_partition)
);

-- Per source partition of the decisions topic: the stream time its task has counted up to.
CREATE TABLE monitor_watermark (
    source_partition integer     PRIMARY KEY,
    stream_time      timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL
);

-- One row per monitor: its detector (log R per alternative, restart points passed), where it stands, and what the
-- last evaluation saw (for REST, gauges and the chart), written in the evaluation's transaction.
CREATE TABLE monitor_state (
    monitor_id        text             PRIMARY KEY,
    cohort            text             NOT NULL,
    metric            text             NOT NULL,
    state             text             NOT NULL CHECK (state IN ('NO_BASELINE', 'OK', 'ALARM')),
    log_r             double precision[] NOT NULL,
    restarts          bigint           NOT NULL,
    log_statistic     double precision NOT NULL,
    -- The last folded minute (event time).
    evaluated_through timestamptz      NOT NULL,
    alarm_since       timestamptz,
    -- The last 60 folded minutes: bad events, exposure, and the rate in the metric's own terms.
    hour_exposure     bigint           NOT NULL,
    hour_bad_events   bigint           NOT NULL,
    -- What the detector compares with (the estimate's upper Wilson bound) and the estimate itself (shown).
    baseline          double precision,
    baseline_estimate double precision,
    baseline_source   text             NOT NULL,
    baseline_weeks    integer          NOT NULL,
    updated_at        timestamptz      NOT NULL
);

-- Alarms and recoveries as published (the verdict's id), for the chart's marks and the record.
CREATE TABLE monitor_alarm (
    verdict_id  uuid        PRIMARY KEY,
    monitor_id  text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('MONITOR_ALARM', 'MONITOR_RECOVERED')),
    at          timestamptz NOT NULL,
    reason      text        NOT NULL
);
CREATE INDEX monitor_alarm_by_monitor ON monitor_alarm (monitor_id, at);

-- Monitor verdicts leave through the rollouts' outbox (one publication across replicas, at least once, stable id).
ALTER TABLE rollout_outbox DROP CONSTRAINT rollout_outbox_kind_check;
ALTER TABLE rollout_outbox ADD CONSTRAINT rollout_outbox_kind_check
    CHECK (kind IN ('STATE_CHANGED', 'WATCH', 'VERDICT'));
