package io.vigil.scoring.decisions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.google.protobuf.InvalidProtocolBufferException;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vigil.contracts.scoring.v1.ScoreResponse;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.metrics.ScoringMetrics;

/**
 * Recent decisions by transaction id: a bounded in-memory cache in front of the {@code decision} table. Writes are
 * asynchronous (the checkout never waits on the database); a cache miss asks PostgreSQL within the caller's time.
 */
@ApplicationScoped
public class DecisionStore {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(DecisionStore.class);

    private final java.util.concurrent.atomic.AtomicLong writeFailures = new java.util.concurrent.atomic.AtomicLong();
    private static final int MAX_BATCH = 256;

    private final java.util.concurrent.ArrayBlockingQueue<PendingWrite> pending;
    private final java.util.concurrent.atomic.AtomicBoolean flushing = new java.util.concurrent.atomic.AtomicBoolean();
    private final Cache<String, StoredDecision> recent;
    private final Pool pool;
    private final ScoringMetrics metrics;

    DecisionStore(ScoringConfig config, Pool pool, ScoringMetrics metrics) {
        this.recent = Caffeine.newBuilder()
                .maximumSize(config.decisions().cacheSize())
                .expireAfterWrite(config.decisions().cacheTtl())
                .build();
        this.pool = pool;
        this.metrics = metrics;
        this.pending = new java.util.concurrent.ArrayBlockingQueue<>(config.decisions().writeQueue());
    }

    /** The cached decision, or null. */
    public StoredDecision cached(String transactionId) {
        return recent.getIfPresent(transactionId);
    }

    /**
     * The recorded decision from PostgreSQL, or {@link StoredDecision#NONE} when there is none, the database fails or
     * does not answer within {@code withinNanos} (then the call is decided afresh: an answer beats an error here).
     */
    public Uni<StoredDecision> lookup(String transactionId, long withinNanos) {
        return pool.preparedQuery("SELECT fingerprint, response FROM decision WHERE transaction_id = $1")
                .execute(Tuple.of(transactionId))
                .map(DecisionStore::first)
                // Vert.x timers refuse delays under 1 ms.
                .ifNoItem().after(Duration.ofNanos(Math.max(withinNanos, 1_000_000L))).recoverWithItem(StoredDecision.NONE)
                .onFailure().recoverWithItem(StoredDecision.NONE);
    }

    private static StoredDecision first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return StoredDecision.NONE;
        }
        Row row = it.next();
        try {
            return new StoredDecision(row.getLong("fingerprint"),
                    ScoreResponse.parseFrom(row.getBuffer("response").getBytes()));
        } catch (InvalidProtocolBufferException e) {
            return StoredDecision.NONE;
        }
    }

    /**
     * Remembers a decision unless one is already there for the id (a concurrent call won): returns the one that
     * stands. The database write happens in the background.
     */
    public StoredDecision remember(String transactionId, StoredDecision decision) {
        StoredDecision earlier = recent.asMap().putIfAbsent(transactionId, decision);
        if (earlier != null) {
            return earlier;
        }
        if (!pending.offer(new PendingWrite(transactionId, decision))) {
            // The writer is behind (database slow or down): the in-memory copy still answers retries for a while.
            writeFailed(new IllegalStateException("decision write queue full"));
        }
        scheduleFlush();
        return decision;
    }

    private record PendingWrite(String transactionId, StoredDecision decision) {
    }

    /**
     * Writes queued decisions in multi-row batches, one batch in flight at a time: at 1,000 decisions a second a
     * statement per decision would hold every pooled connection and starve the lookups Score waits for.
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
            ScoreResponse r = w.decision().response();
            batch.add(Tuple.from(new Object[] {w.transactionId(), r.getDecisionId(), w.decision().fingerprint(),
                    r.getDecision().name(), r.getScore(), r.getModelVersion(), r.getPolicyVersion(), r.getCohort(),
                    r.getFallbackCause().name(), io.vertx.core.buffer.Buffer.buffer(r.toByteArray())}));
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
        pool.preparedQuery("INSERT INTO decision (transaction_id, decision_id, fingerprint, decision, score, "
                + "model_version, policy_version, cohort, fallback_cause, response) "
                + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (transaction_id) DO NOTHING")
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

    private void writeFailed(Throwable failure) {
        metrics.recordWriteFailed();
        // One line per 1000 failures: a database outage must not turn into a log flood on the scoring path.
        if (writeFailures.getAndIncrement() % 1000 == 0) {
            LOG.warnf("decision record not written (%d so far): %s", writeFailures.get(), failure.toString());
        }
    }

    /** Drops the in-memory copy (tests: proves the PostgreSQL path). */
    public void forgetCached(String transactionId) {
        recent.invalidate(transactionId);
    }
}
