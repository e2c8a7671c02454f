-- Issue 15: what a loaded model costs, kept with the version so the line-up's memory bound can be checked without
-- loading it, and every line-up change audited like policies (who, why, the line-up before and after).
-- (Numbered 4.1 so that other branches' V5 migrations merge after it whatever their order.)
ALTER TABLE model_version ADD COLUMN trees INTEGER;
ALTER TABLE model_version ADD COLUMN features INTEGER;
ALTER TABLE model_version ADD COLUMN estimated_bytes BIGINT;

CREATE TABLE model_audit (
    id            BIGSERIAL        PRIMARY KEY,
    at            TIMESTAMPTZ      NOT NULL DEFAULT now(),
    actor         TEXT             NOT NULL,
    action        TEXT             NOT NULL,
    model_version TEXT             NOT NULL,
    role          TEXT             NOT NULL,
    share         DOUBLE PRECISION NOT NULL,
    reason        TEXT             NOT NULL,
    before        JSONB            NOT NULL,
    after         JSONB            NOT NULL
);
