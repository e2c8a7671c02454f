-- Audit of feature-health re-baselines: who reset which reference, why and when. Every instance applies the rows it
-- has not applied yet (its health windows are in memory), so a re-baseline made through one replica reaches all.
CREATE TABLE health_rebaseline (
    id             BIGSERIAL   PRIMARY KEY,
    at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor          TEXT        NOT NULL,
    reason         TEXT        NOT NULL,
    -- NULL: every feature
    feature        TEXT,
    -- 'all' or 'attribute=value'
    segment        TEXT        NOT NULL,
    -- what was reset on the instance that took the request: feature names, and the alarms in force it cleared
    features_reset JSONB       NOT NULL,
    alarms_cleared JSONB       NOT NULL
);
