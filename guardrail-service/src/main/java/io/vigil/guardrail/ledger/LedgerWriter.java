package io.vigil.guardrail.ledger;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Writes ledger rows in batches: one INSERT ... SELECT FROM unnest(arrays) per batch (one statement and one round
 * trip for a whole Kafka poll, rather than a statement per row), ON CONFLICT DO NOTHING on the event's id, so a
 * redelivered or replayed event writes nothing twice and a batch is all written or not at all (one statement).
 * Answers how many rows were new.
 */
@ApplicationScoped
public class LedgerWriter {

    static final String INSERT_DECISIONS = """
            INSERT INTO ledger_decision (decision_id, transaction_id, account_id, event_at, decided_at, decision,
                score, arm, model_version, policy_version, fallback, fallback_cause, country, region,
                customer_age_band, channel, login_method, merchant_id, merchant_category, device_id, card_bin,
                bin_country, ip_country, billing_country, amount_usd, amount_band, arm_scores, features,
                feature_contract, reasons)
            SELECT decision_id, transaction_id, account_id, event_at, decided_at, decision, score, arm, model_version,
                policy_version, fallback, fallback_cause, country, region, customer_age_band, channel, login_method,
                merchant_id, merchant_category, device_id, card_bin, bin_country, ip_country, billing_country,
                amount_usd, amount_band, arm_scores::jsonb, features::jsonb, feature_contract, reasons::jsonb
            FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::text[],
                $7::float8[], $8::text[], $9::text[], $10::text[], $11::bool[], $12::text[], $13::text[],
                $14::text[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[],
                $21::text[], $22::text[], $23::text[], $24::text[], $25::float8[], $26::text[], $27::text[],
                $28::text[], $29::text[], $30::text[])
                AS t(decision_id, transaction_id, account_id, event_at, decided_at, decision, score, arm,
                     model_version, policy_version, fallback, fallback_cause, country, region, customer_age_band,
                     channel, login_method, merchant_id, merchant_category, device_id, card_bin, bin_country,
                     ip_country, billing_country, amount_usd, amount_band, arm_scores, features, feature_contract,
                     reasons)
            ON CONFLICT (decision_id) DO NOTHING""";

    static final String INSERT_OUTCOMES = """
            INSERT INTO ledger_outcome (outcome_id, transaction_id, occurred_at, kind, amount_minor, currency, producer)
            SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::int8[], $6::text[],
                $7::text[])
            ON CONFLICT (outcome_id) DO NOTHING""";

    private final Pool pool;

    LedgerWriter(Pool pool) {
        this.pool = pool;
    }

    public Uni<Integer> writeDecisions(List<LedgerRows.DecisionRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple t = Tuple.tuple();
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::decisionId));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::transactionId));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::accountId));
        t.addArrayOfOffsetDateTime(times(rows, LedgerRows.DecisionRow::eventAt));
        t.addArrayOfOffsetDateTime(times(rows, LedgerRows.DecisionRow::decidedAt));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::decision));
        t.addArrayOfDouble(rows.stream().map(LedgerRows.DecisionRow::score).toArray(Double[]::new));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::arm));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::modelVersion));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::policyVersion));
        t.addArrayOfBoolean(rows.stream().map(LedgerRows.DecisionRow::fallback).toArray(Boolean[]::new));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::fallbackCause));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::country));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::region));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::customerAgeBand));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::channel));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::loginMethod));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::merchantId));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::merchantCategory));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::deviceId));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::cardBin));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::binCountry));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::ipCountry));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::billingCountry));
        t.addArrayOfDouble(rows.stream().map(LedgerRows.DecisionRow::amountUsd).toArray(Double[]::new));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::amountBand));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::armScores));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::features));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::featureContract));
        t.addArrayOfString(strings(rows, LedgerRows.DecisionRow::reasons));
        return pool.preparedQuery(INSERT_DECISIONS).execute(t).map(r -> r.rowCount());
    }

    public Uni<Integer> writeOutcomes(List<LedgerRows.OutcomeRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        Tuple t = Tuple.tuple();
        t.addArrayOfString(strings(rows, LedgerRows.OutcomeRow::outcomeId));
        t.addArrayOfString(strings(rows, LedgerRows.OutcomeRow::transactionId));
        t.addArrayOfOffsetDateTime(times(rows, LedgerRows.OutcomeRow::occurredAt));
        t.addArrayOfString(strings(rows, LedgerRows.OutcomeRow::kind));
        t.addArrayOfLong(rows.stream().map(LedgerRows.OutcomeRow::amountMinor).toArray(Long[]::new));
        t.addArrayOfString(strings(rows, LedgerRows.OutcomeRow::currency));
        t.addArrayOfString(strings(rows, LedgerRows.OutcomeRow::producer));
        return pool.preparedQuery(INSERT_OUTCOMES).execute(t).map(r -> r.rowCount());
    }

    private static <R> String[] strings(List<R> rows, Function<R, String> f) {
        String[] out = new String[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(rows.get(i));
        }
        return out;
    }

    private static <R> OffsetDateTime[] times(List<R> rows, Function<R, OffsetDateTime> f) {
        OffsetDateTime[] out = new OffsetDateTime[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.apply(rows.get(i));
        }
        return out;
    }
}
