-- Decision ledger (issue #17): every decision and every outcome, in event time, queryable by the analyses
-- (/analyses: impact, slices, what-if, funnel, did, switchback, cases). Written by ledger/LedgerConsumer from
-- vigil.decisions.v1 and vigil.outcomes.v1 (one consumer group over all replicas); inserts are idempotent on the
-- event's own id, so a redelivery or a replay writes nothing twice. Outcomes are joined to decisions by transaction
-- id at query time: an outcome may arrive before its decision, or months later (a chargeback).

CREATE TABLE ledger_decision (
    decision_id       text PRIMARY KEY,
    transaction_id    text             NOT NULL,
    -- Only for joins (an account's history in a case review); every answer masks it.
    account_id        text             NOT NULL,
    -- Event time: the payment's own time (payment_created_at), decided_at when the checkout sent none.
    event_at          timestamptz      NOT NULL,
    decided_at        timestamptz      NOT NULL,
    -- APPROVE, STEP_UP, REVIEW, DECLINE (vigil.scoring.v1.Decision without its prefix).
    decision          text             NOT NULL,
    -- Fraud probability of the deciding arm (0 when the fallback rule decided).
    score             double precision NOT NULL,
    arm               text             NOT NULL,
    model_version     text             NOT NULL,
    policy_version    text             NOT NULL,
    fallback          boolean          NOT NULL,
    fallback_cause    text             NOT NULL,
    -- Cohort attributes, as the decision event carried them ('' = unknown).
    country           text             NOT NULL,
    region            text             NOT NULL,
    customer_age_band text             NOT NULL,
    channel           text             NOT NULL,
    login_method      text             NOT NULL,
    merchant_id       text             NOT NULL,
    merchant_category text             NOT NULL,
    device_id         text             NOT NULL,
    -- The BIN only (first 6-8 digits), never more of the card number; masked in answers.
    card_bin          text             NOT NULL,
    bin_country       text             NOT NULL,
    ip_country        text             NOT NULL,
    billing_country   text             NOT NULL,
    amount_usd        double precision,
    -- amount_usd in bands (ledger/AmountBand): '<25', '25-100', '100-500', '500-2000', '>=2000', '' = unknown.
    amount_band       text             NOT NULL,
    -- Every arm's score, shadows included: [{"model_version","role","score","decided"}].
    arm_scores        jsonb            NOT NULL,
    -- The model input in the feature contract's order: [{"name","value","missing"}] (jsonb, not the proto's bytes:
    -- the case sample answers it as JSON and an analyst can query a feature in SQL; the order is kept by the array).
    features          jsonb            NOT NULL,
    feature_contract  text             NOT NULL,
    -- [{"code","feature","contribution"}]
    reasons           jsonb            NOT NULL,
    recorded_at       timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX ledger_decision_by_time ON ledger_decision (event_at);
CREATE INDEX ledger_decision_by_transaction ON ledger_decision (transaction_id);
CREATE INDEX ledger_decision_by_cohort ON ledger_decision (country, customer_age_band, event_at);

CREATE TABLE ledger_outcome (
    outcome_id      text PRIMARY KEY,
    transaction_id  text        NOT NULL,
    -- Event time: when the outcome happened in the payment's world.
    occurred_at     timestamptz NOT NULL,
    -- vigil.events.v1.OutcomeKind without its prefix: ORDER_COMPLETED, CHARGEBACK_FRAUD, STEP_UP_PASSED, ...
    kind            text        NOT NULL,
    amount_minor    bigint,
    currency        text,
    producer        text        NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ledger_outcome_by_transaction ON ledger_outcome (transaction_id, kind);
