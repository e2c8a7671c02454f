-- The model registry: every version ever registered, its bytes (so a restart or another instance loads exactly
-- the same model), its card and its role in live traffic. One champion and at most one challenger at a time.
CREATE TABLE model_version (
    version          TEXT             PRIMARY KEY,
    source           TEXT             NOT NULL,
    model            BYTEA            NOT NULL,
    card             JSONB,
    status           TEXT             NOT NULL
                     CHECK (status IN ('REGISTERED', 'CHAMPION', 'CHALLENGER', 'SHADOW', 'RETIRED')),
    challenger_share DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (challenger_share >= 0 AND challenger_share <= 1),
    created_at       TIMESTAMPTZ      NOT NULL DEFAULT now(),
    created_by       TEXT             NOT NULL,
    updated_at       TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX model_version_one_champion ON model_version (status) WHERE status = 'CHAMPION';
CREATE UNIQUE INDEX model_version_one_challenger ON model_version (status) WHERE status = 'CHALLENGER';
