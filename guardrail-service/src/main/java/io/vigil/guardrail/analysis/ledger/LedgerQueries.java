package io.vigil.guardrail.analysis.ledger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The analyses' questions as SQL over the decision ledger, in event time ({@code ledger_decision.event_at}); outcomes
 * are joined by transaction id, whenever they came. Only fixed SQL fragments (columns from {@link Cohort}'s table,
 * {@link LedgerMetric}'s predicates) are concatenated; every value is a bound parameter.
 */
@ApplicationScoped
public class LedgerQueries {

    /** Rows read into memory at most for the threshold what-if and the hourly series: a bound on one request. */
    static final int MAX_SCORED = 2_000_000;

    private final Pool pool;

    LedgerQueries(Pool pool) {
        this.pool = pool;
    }

    /** A cohort's exposure and events in a window, and the site's exposure (all cohorts) to check the denominator. */
    public record Counts(long n, long events, Double averageEventAmountUsd, Double averageAmountUsd, long siteN) {
    }

    public record SliceCount(String value, long n, long events) {
    }

    /** Scores and fraud labels (fraud = a fraud report or chargeback in the ledger). */
    public record ScoredLabels(double[] scores, boolean[] fraud, long withoutScore) {
    }

    /** One channel's funnel counts before or after the change time, steps in {@link #FUNNEL_STEPS} order. */
    public record FunnelCounts(String channel, boolean after, long[] reached, Double averageOrderUsd) {
    }

    public record HourCount(Instant hour, long n, long events) {
    }

    /** One sampled decision, ids masked later by the caller. */
    public record CaseRow(String stratum, String decisionId, String transactionId, String accountId, Instant eventAt,
            String decision, double score, String channel, String merchantId, String deviceId, String cardBin,
            String country, String ageBand, Double amountUsd, String features, String reasons, String armScores,
            String outcomes) {
    }

    public static final List<String> FUNNEL_STEPS = List.of("scored", "approved or passed step-up", "authorized",
            "ordered");

    /** Builds a statement and its parameters together. */
    static final class Sql {
        final StringBuilder text = new StringBuilder();
        final List<Object> params = new ArrayList<>();

        Sql append(String s) {
            text.append(s);
            return this;
        }

        String param(Object value) {
            params.add(value instanceof Instant i ? OffsetDateTime.ofInstant(i, ZoneOffset.UTC) : value);
            return "$" + params.size();
        }

        Sql window(Window w) {
            return append("d.event_at >= " + param(w.from()) + " AND d.event_at < " + param(w.to()));
        }

        Sql cohort(Cohort c) {
            for (Cohort.Term t : c.terms()) {
                append(" AND d." + t.column() + " = " + param(t.value()));
            }
            return this;
        }

        /** The cohort as one boolean expression (TRUE for everyone). */
        String cohortPredicate(Cohort c) {
            if (c.isEveryone()) {
                return "TRUE";
            }
            List<String> parts = new ArrayList<>();
            for (Cohort.Term t : c.terms()) {
                parts.add("d." + t.column() + " = " + param(t.value()));
            }
            return "(" + String.join(" AND ", parts) + ")";
        }

        Tuple tuple() {
            return Tuple.from(params);
        }
    }

    /** The newest event time in the ledger, if any (the analyses' "now" when a simulation runs ahead). */
    public Uni<Optional<Instant>> newestEventAt() {
        return pool.query("SELECT max(event_at) AS newest FROM ledger_decision").execute()
                .map(rows -> {
                    OffsetDateTime t = rows.iterator().next().getOffsetDateTime("newest");
                    return Optional.ofNullable(t).map(OffsetDateTime::toInstant);
                });
    }

    public Uni<Counts> counts(Cohort cohort, LedgerMetric metric, Window window) {
        Sql q = new Sql();
        String event = metric.eventSql();
        q.append("SELECT count(*) FILTER (WHERE c) AS n, count(*) FILTER (WHERE c AND e) AS events, "
                + "avg(amount_usd) FILTER (WHERE c AND e) AS avg_event_amount, avg(amount_usd) FILTER (WHERE c) "
                + "AS avg_amount, count(*) AS site_n FROM (SELECT d.amount_usd, ");
        String c = q.cohortPredicate(cohort);
        q.append(c + " AS c, " + event + " AS e FROM ledger_decision d WHERE ").window(window)
                .append(" AND " + metric.exposureSql() + ") x");
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            Row r = rows.iterator().next();
            return new Counts(r.getLong("n"), r.getLong("events"), r.getDouble("avg_event_amount"),
                    r.getDouble("avg_amount"), r.getLong("site_n"));
        });
    }

    /** Exposure and events per value of {@code column} (a {@link Cohort} column) in the cohort. */
    public Uni<List<SliceCount>> slices(Cohort cohort, LedgerMetric metric, Window window, String column) {
        Sql q = new Sql();
        q.append("SELECT d." + column + " AS value, count(*) AS n, count(*) FILTER (WHERE " + metric.eventSql()
                + ") AS events FROM ledger_decision d WHERE ").window(window).cohort(cohort)
                .append(" AND " + metric.exposureSql() + " GROUP BY d." + column);
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            List<SliceCount> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new SliceCount(r.getString("value"), r.getLong("n"), r.getLong("events")));
            }
            return out;
        });
    }

    /**
     * Every decision's score in the cohort and window with its fraud label: the deciding score, or the score the
     * named model gave (any arm, shadows included). Decisions the named model did not score are counted, not used.
     */
    public Uni<ScoredLabels> scoredLabels(Cohort cohort, Window window, String modelVersion) {
        Sql q = new Sql();
        String score = modelVersion == null ? "d.score"
                : "(SELECT (s->>'score')::float8 FROM jsonb_array_elements(d.arm_scores) s WHERE s->>'model_version' = "
                        + q.param(modelVersion) + " LIMIT 1)";
        q.append("SELECT " + score + " AS score, "
                + LedgerMetric.outcome("'CHARGEBACK_FRAUD', 'FRAUD_REPORTED'")
                + " AS fraud FROM ledger_decision d WHERE ").window(window).cohort(cohort)
                .append(" LIMIT " + MAX_SCORED);
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            double[] scores = new double[rows.size()];
            boolean[] fraud = new boolean[rows.size()];
            int i = 0;
            long without = 0;
            for (Row r : rows) {
                Double s = r.getDouble("score");
                if (s == null) {
                    without++;
                    continue;
                }
                scores[i] = s;
                fraud[i] = r.getBoolean("fraud");
                i++;
            }
            return new ScoredLabels(java.util.Arrays.copyOf(scores, i), java.util.Arrays.copyOf(fraud, i), without);
        });
    }

    /**
     * Per channel, before and after {@code at}: decisions scored, then approved or passed step-up (or approved by a
     * reviewer), then authorized, then ordered; each step counted only among those that reached the one before, so
     * the counts never rise along the funnel.
     */
    public Uni<List<FunnelCounts>> funnel(Cohort cohort, Window window, Instant at) {
        Sql q = new Sql();
        q.append("SELECT channel, event_at >= " + q.param(at) + " AS after, count(*) AS scored, "
                + "count(*) FILTER (WHERE cleared) AS cleared, count(*) FILTER (WHERE cleared AND authorized) AS "
                + "authorized, count(*) FILTER (WHERE cleared AND authorized AND ordered) AS ordered, "
                + "avg(amount_usd) FILTER (WHERE cleared AND authorized AND ordered) AS avg_order "
                + "FROM (SELECT d.channel, d.event_at, d.amount_usd, (d.decision = 'APPROVE' OR (d.decision = "
                + "'STEP_UP' AND " + LedgerMetric.outcome("'STEP_UP_PASSED'") + ") OR (d.decision = 'REVIEW' AND "
                + LedgerMetric.outcome("'REVIEW_APPROVED'") + ")) AS cleared, "
                + LedgerMetric.outcome("'AUTHORIZED'") + " AS authorized, "
                + LedgerMetric.outcome("'ORDER_COMPLETED'") + " AS ordered FROM ledger_decision d WHERE ")
                .window(window).cohort(cohort).append(") x GROUP BY 1, 2 ORDER BY 1, 2");
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            List<FunnelCounts> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new FunnelCounts(r.getString("channel"), r.getBoolean("after"), new long[] {
                        r.getLong("scored"), r.getLong("cleared"), r.getLong("authorized"), r.getLong("ordered")},
                        r.getDouble("avg_order")));
            }
            return out;
        });
    }

    /** Exposure and events of a cohort before and after {@code at} (difference-in-differences cells). */
    public Uni<long[]> beforeAfter(Cohort cohort, boolean complement, LedgerMetric metric, Window window,
            Instant at) {
        Sql q = new Sql();
        String after = q.param(at);
        q.append("SELECT count(*) FILTER (WHERE d.event_at < " + after + ") AS n0, count(*) FILTER (WHERE "
                + "d.event_at < " + after + " AND " + metric.eventSql() + ") AS e0, count(*) FILTER (WHERE "
                + "d.event_at >= " + after + ") AS n1, count(*) FILTER (WHERE d.event_at >= " + after + " AND "
                + metric.eventSql() + ") AS e1 FROM ledger_decision d WHERE ").window(window);
        String c = q.cohortPredicate(cohort);
        q.append(" AND " + (complement ? "NOT " : "") + c + " AND " + metric.exposureSql());
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            Row r = rows.iterator().next();
            return new long[] {r.getLong("n0"), r.getLong("e0"), r.getLong("n1"), r.getLong("e1")};
        });
    }

    /** Exposure and events per hour of event time (the switchback plan's volume and between-hour variance). */
    public Uni<List<HourCount>> hourly(Cohort cohort, LedgerMetric metric, Window window) {
        Sql q = new Sql();
        q.append("SELECT date_trunc('hour', d.event_at) AS hour, count(*) AS n, count(*) FILTER (WHERE "
                + metric.eventSql() + ") AS events FROM ledger_decision d WHERE ").window(window).cohort(cohort)
                .append(" AND " + metric.exposureSql() + " GROUP BY 1 ORDER BY 1");
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            List<HourCount> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new HourCount(r.getOffsetDateTime("hour").toInstant(), r.getLong("n"), r.getLong("events")));
            }
            return out;
        });
    }

    /**
     * A stratified sample: per stratum (outcome class x score band), up to {@code perStratum} decisions, picked by a
     * hash of the decision id (the same request gives the same sample; no stratum crowds out another).
     */
    public Uni<List<CaseRow>> cases(Cohort cohort, Window window, int perStratum) {
        Sql q = new Sql();
        q.append("SELECT * FROM (SELECT x.*, row_number() OVER (PARTITION BY stratum ORDER BY md5(decision_id)) AS k "
                + "FROM (SELECT d.*, (CASE WHEN " + LedgerMetric.outcome("'CHARGEBACK_FRAUD', 'FRAUD_REPORTED'")
                + " THEN 'fraud' WHEN d.decision = 'APPROVE' THEN 'approved, no fraud label' ELSE lower(d.decision) "
                + "END) || ' | score ' || (CASE WHEN d.score < 0.2 THEN '0.0-0.2' WHEN d.score < 0.4 THEN '0.2-0.4' "
                + "WHEN d.score < 0.6 THEN '0.4-0.6' WHEN d.score < 0.8 THEN '0.6-0.8' ELSE '0.8-1.0' END) AS stratum, "
                + "(SELECT coalesce(jsonb_agg(jsonb_build_object('kind', o.kind, 'occurred_at', o.occurred_at) "
                + "ORDER BY o.occurred_at), '[]'::jsonb) FROM ledger_outcome o WHERE o.transaction_id = "
                + "d.transaction_id)::text AS outcome_list FROM ledger_decision d WHERE ")
                .window(window).cohort(cohort)
                .append(") x) y WHERE k <= " + q.param(perStratum) + " ORDER BY stratum, k");
        return pool.preparedQuery(q.text.toString()).execute(q.tuple()).map(rows -> {
            List<CaseRow> out = new ArrayList<>();
            for (Row r : rows) {
                out.add(new CaseRow(r.getString("stratum"), r.getString("decision_id"),
                        r.getString("transaction_id"), r.getString("account_id"),
                        r.getOffsetDateTime("event_at").toInstant(), r.getString("decision"), r.getDouble("score"),
                        r.getString("channel"), r.getString("merchant_id"), r.getString("device_id"),
                        r.getString("card_bin"), r.getString("country"), r.getString("customer_age_band"),
                        r.getDouble("amount_usd"), String.valueOf(r.getValue("features")),
                        String.valueOf(r.getValue("reasons")), String.valueOf(r.getValue("arm_scores")),
                        r.getString("outcome_list")));
            }
            return out;
        });
    }
}
