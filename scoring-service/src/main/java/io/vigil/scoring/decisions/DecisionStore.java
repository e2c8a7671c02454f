package io.vigil.scoring.decisions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.InvalidProtocolBufferException;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.contracts.events.v1.IdempotencyCheck;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.metrics.ScoringMetrics;

/**
 * One decision per transaction id, across every replica on the database. A bounded in-memory cache answers recent ids
 * without a round trip; otherwise a decision is <em>claimed</em> in PostgreSQL before it is answered: one statement
 * inserts it unless the id is taken and, when it is, returns the decision that stands, which the caller answers
 * instead. The claim waits at most what is left of the call's budget; a claim that cannot be checked leaves the call
 * answered with its own decision, flagged and counted as unverified, and the record is written in the background.
 * Once claims keep failing, PostgreSQL is taken as down ({@link ClaimBreaker}) and claims are skipped until a
 * background probe answers, so a dead database costs the checkout nothing.
 */
@ApplicationScoped
public class DecisionStore {

    private static final Logger LOG = Logger.getLogger(DecisionStore.class);
    private static final int MAX_BATCH = 256;
    private static final long ONE_MILLISECOND = 1_000_000L;
    private static final String COLUMNS = "transaction_id, decision_id, fingerprint, decision, score, model_version, "
            + "policy_version, cohort, fallback_cause, response";
    private static final String VALUES = "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

    /**
     * The claim in one round trip: insert unless taken, else read the standing decision. The read shares the
     * statement's snapshot, so a row committed by a concurrent claim while this one waited on it is not visible here;
     * that (rare) case gets no row and is read again with {@link #READ}.
     *
     * <p>The statement commits without waiting for the WAL flush ({@code synchronous_commit} off for this one
     * transaction): the claim is visible to every replica as soon as it commits, which is all "one decision per id"
     * needs, and a claim then costs ~0.2 ms instead of a ~3 ms disk flush (pgbench on this machine: 4,900 against 310
     * claims/s on one connection, 17,500 against 2,400 on eight). Only a PostgreSQL crash can lose the last few
     * hundred milliseconds of claims (3 x wal_writer_delay), a smaller window than the background writer it replaced.
     */
    private static final String CLAIM = "WITH async AS (SELECT set_config('synchronous_commit', 'off', true) AS s), "
            + "claimed AS (INSERT INTO decision (" + COLUMNS + ") VALUES " + VALUES
            + " ON CONFLICT (transaction_id) DO NOTHING RETURNING 1) "
            + "SELECT true AS mine, NULL::bigint AS fingerprint, NULL::bytea AS response FROM claimed, async "
            + "UNION ALL SELECT false, fingerprint, response FROM decision, async "
            + "WHERE transaction_id = $1 AND NOT EXISTS (SELECT 1 FROM claimed)";
    private static final String READ = "SELECT false AS mine, fingerprint, response FROM decision WHERE transaction_id = $1";

    private final AtomicLong writeFailures = new AtomicLong();
    private final AtomicLong warmClaims = new AtomicLong();
    private final AtomicLong claimFailures = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final ArrayBlockingQueue<PendingWrite> pending;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicBoolean probing = new AtomicBoolean();
    private final Cache<String, StoredDecision> recent;
    private final Pool pool;
    private final ScoringMetrics metrics;
    private final ClaimBreaker breaker;
    private final ScoringConfig.Decisions config;

    DecisionStore(ScoringConfig config, Pool pool, ScoringMetrics metrics) {
        this.config = config.decisions();
        this.recent = Caffeine.newBuilder()
                .maximumSize(config.decisions().cacheSize())
                .expireAfterWrite(config.decisions().cacheTtl())
                // Maintenance (eviction, expiry) on the writing thread, amortised: the default hands it to the common
                // ForkJoinPool after writes, and waking a pool thread per claim was ~5% of the service's CPU
                // (async-profiler at 1,000 Score/s: ForkJoinPool.signalWork -> pthread_cond_signal).
                .executor(Runnable::run)
                .build();
        this.pool = pool;
        this.metrics = metrics;
        this.pending = new ArrayBlockingQueue<>(config.decisions().writeQueue());
        this.breaker = new ClaimBreaker(config.decisions().claimFailuresToOpen());
    }

    /** While the breaker is open, asks PostgreSQL whether it is back, every probe interval. */
    void start(@Observes StartupEvent start, Vertx vertx) {
        vertx.setPeriodic(config.probeInterval().toMillis(), id -> probe());
    }

    /** The cached decision, or null. */
    public StoredDecision cached(String transactionId) {
        return recent.getIfPresent(transactionId);
    }

    /**
     * Claims {@code mine} as the one decision for the transaction id, waiting at most {@code withinNanos}. Never
     * fails: a claim that cannot be checked comes back with {@code mine} standing and an unverified check, counted.
     */
    public Uni<Claim> claim(String transactionId, StoredDecision mine, long withinNanos) {
        StoredDecision earlier = recent.getIfPresent(transactionId);
        if (earlier != null) {
            // A call on this instance decided first (same id in flight twice): no need to ask the database.
            return Uni.createFrom().item(new Claim(earlier, IdempotencyCheck.IDEMPOTENCY_CHECK_CLAIMED));
        }
        if (breaker.isOpen()) {
            return Uni.createFrom().item(unverified(transactionId, mine,
                    IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_DATABASE_DOWN, null));
        }
        if (withinNanos < ONE_MILLISECOND) {
            // Vert.x timers refuse delays under 1 ms, and a claim needs a round trip anyway.
            return Uni.createFrom().item(unverified(transactionId, mine,
                    IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_NO_BUDGET, null));
        }
        return pool.preparedQuery(CLAIM).execute(row(transactionId, mine))
                .flatMap(rows -> rows.size() > 0 ? Uni.createFrom().item(rows)
                        : pool.preparedQuery(READ).execute(Tuple.of(transactionId)))
                .ifNoItem().after(Duration.ofNanos(withinNanos)).fail()
                .map(rows -> {
                    breaker.succeeded();
                    return claimed(transactionId, mine, rows);
                })
                .onFailure().recoverWithItem(failure -> {
                    if (breaker.failed()) {
                        LOG.warnf("decision claims keep failing (%s): PostgreSQL taken as down, claims skipped until "
                                + "a probe answers", failure.toString());
                    }
                    // Mutiny's own TimeoutException is not java.util.concurrent's.
                    boolean timedOut = failure instanceof io.smallrye.mutiny.TimeoutException
                            || failure instanceof TimeoutException;
                    return unverified(transactionId, mine, timedOut
                            ? IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_TIMEOUT
                            : IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_ERROR, failure);
                });
    }

    /**
     * A warm-up call's claim: the same statement, parameters and row reading as {@link #claim}, in a transaction that
     * is rolled back, so the PostgreSQL client's path is compiled before the first payment and no row is left. Never
     * fails, never touches the breaker, the cache or the metrics.
     */
    public Uni<Void> warmClaim(String transactionId, StoredDecision mine) {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM).execute(row(transactionId, mine))
                .map(rows -> {
                    for (Row row : rows) {
                        row.getBoolean("mine");
                        row.getLong("fingerprint");
                        row.getBuffer("response");
                    }
                    throw new WarmUpRollback();
                }))
                .replaceWithVoid()
                .onFailure(WarmUpRollback.class).invoke(rolledBack -> warmClaims.incrementAndGet())
                .onFailure().recoverWithNull();
    }

    /**
     * Warm-up claims whose statement ran and was rolled back: the readiness check shows it, so a warm-up that never
     * reached PostgreSQL does not pass for one that did.
     */
    public long warmClaimsRolledBack() {
        return warmClaims.get();
    }

    /** Thrown inside the warm-up's transaction so that withTransaction rolls it back. */
    private static final class WarmUpRollback extends RuntimeException {
        WarmUpRollback() {
            super("warm-up claim rolled back", null, false, false);
        }
    }

    private Claim claimed(String transactionId, StoredDecision mine, RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            // Inserted by nobody and readable by nobody: only a concurrent delete could do that. Not verified.
            return unverified(transactionId, mine, IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_ERROR,
                    new IllegalStateException("claim returned no row"));
        }
        Row row = it.next();
        if (row.getBoolean("mine")) {
            remember(transactionId, mine);
            return new Claim(mine, IdempotencyCheck.IDEMPOTENCY_CHECK_CLAIMED);
        }
        StoredDecision winner = decode(transactionId, row);
        if (winner == null) {
            return unverified(transactionId, mine, IdempotencyCheck.IDEMPOTENCY_CHECK_UNVERIFIED_ERROR, null);
        }
        StoredDecision standing = remember(transactionId, winner);
        return new Claim(standing, IdempotencyCheck.IDEMPOTENCY_CHECK_CLAIMED);
    }

    /** The claim could not be checked: answer with mine, count it, and write it in the background. */
    private Claim unverified(String transactionId, StoredDecision mine, IdempotencyCheck cause, Throwable failure) {
        metrics.idempotencyUnverified(cause);
        if (failure != null && claimFailures.getAndIncrement() % 1000 == 0) {
            // One line per 1000: an outage must not become a log flood on the scoring path.
            LOG.warnf("decision claim not checked (%s, %d so far): %s", cause, claimFailures.get(), failure.toString());
        }
        StoredDecision standing = recent.asMap().putIfAbsent(transactionId, mine);
        if (standing != null) {
            return new Claim(standing, cause);
        }
        if (!pending.offer(new PendingWrite(transactionId, mine))) {
            // The writer is behind (database slow or down): the in-memory copy still answers retries for a while.
            writeFailed(new IllegalStateException("decision write queue full"));
        }
        scheduleFlush();
        return new Claim(mine, cause);
    }

    private StoredDecision remember(String transactionId, StoredDecision decision) {
        StoredDecision earlier = recent.asMap().putIfAbsent(transactionId, decision);
        return earlier == null ? decision : earlier;
    }

    /** A stored decision that does not parse is logged and counted, never taken as "no decision" in silence. */
    private StoredDecision decode(String transactionId, Row row) {
        try {
            return new StoredDecision(row.getLong("fingerprint"),
                    ScoreResponse.parseFrom(row.getBuffer("response").getBytes()));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            metrics.corruptRecord("decision");
            if (corrupt.getAndIncrement() % 1000 == 0) {
                LOG.errorf("stored decision for transaction %s does not parse (%d so far): %s", transactionId,
                        corrupt.get(), e.toString());
            }
            return null;
        }
    }

    private void probe() {
        if (!breaker.isOpen() || !probing.compareAndSet(false, true)) {
            return;
        }
        pool.query("SELECT 1").execute()
                .ifNoItem().after(config.probeInterval()).fail()
                .subscribe().with(ok -> {
                    probing.set(false);
                    breaker.succeeded();
                    LOG.info("PostgreSQL answers again: decision claims resumed");
                }, failure -> probing.set(false));
    }

    private static Tuple row(String transactionId, StoredDecision d) {
        ScoreResponse r = d.response();
        return Tuple.from(new Object[] {transactionId, r.getDecisionId(), d.fingerprint(), r.getDecision().name(),
                r.getScore(), r.getModelVersion(), r.getPolicyVersion(), r.getCohort(), r.getFallbackCause().name(),
                Buffer.buffer(r.toByteArray())});
    }

    private record PendingWrite(String transactionId, StoredDecision decision) {
    }

    /**
     * Writes the decisions whose claim could not be checked, in multi-row batches, one batch in flight at a time, so a
     * database coming back is not hit by one statement per queued decision.
     */
    private void scheduleFlush() {
        if (flushing.compareAndSet(false, true)) {
            flush();
        }
    }

    private void flush() {
        List<Tuple> batch = new ArrayList<>(Math.min(pending.size(), MAX_BATCH));
        PendingWrite w;
        while (batch.size() < MAX_BATCH && (w = pending.poll()) != null) {
            batch.add(row(w.transactionId(), w.decision()));
        }
        if (batch.isEmpty()) {
            flushing.set(false);
            // A write queued between the empty poll and the reset would otherwise wait for the next decision.
            if (!pending.isEmpty()) {
                scheduleFlush();
            }
            return;
        }
        int size = batch.size();
        pool.preparedQuery("INSERT INTO decision (" + COLUMNS + ") VALUES " + VALUES
                + " ON CONFLICT (transaction_id) DO NOTHING")
                .executeBatch(batch)
                .subscribe().with(ok -> flush(), failure -> {
                    for (int i = 0; i < size; i++) {
                        writeFailed(failure);
                    }
                    flush();
                });
    }

    /** Decisions queued for PostgreSQL (tests). */
    public int pendingWrites() {
        return pending.size();
    }

    /** True while PostgreSQL is taken as down and claims are skipped. */
    public boolean databaseDown() {
        return breaker.isOpen();
    }

    private void writeFailed(Throwable failure) {
        metrics.recordWriteFailed();
        if (writeFailures.getAndIncrement() % 1000 == 0) {
            LOG.warnf("decision record not written (%d so far): %s", writeFailures.get(), failure.toString());
        }
    }

    /** Drops the in-memory copy (tests: proves the PostgreSQL path). */
    public void forgetCached(String transactionId) {
        recent.invalidate(transactionId);
    }
}
