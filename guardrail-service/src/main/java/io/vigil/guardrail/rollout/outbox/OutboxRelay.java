package io.vigil.guardrail.rollout.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vigil.guardrail.rollout.store.OutboxEvent;

/**
 * Publishes the rollout outbox. A pass claims due rows and moves them a lease ahead (one claim at a time across all
 * instances: a transaction-scoped advisory lock, then {@code FOR UPDATE SKIP LOCKED}), commits, sends each in write
 * order and waits for the broker's acknowledgement, then marks it SENT. A failed send leaves the row PENDING for a
 * later pass (exponential backoff, never given up) and holds back the later rows of its stream (same kind and rollout)
 * until it is sent: a rollout's watch is the latest value of a compacted topic, so an older one must never land after
 * a newer one. An instance that dies mid-send leaves its rows to be claimed again when the lease ends. At least once,
 * with a stable event id ({@code ce_id}) for consumers to de-duplicate on.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Serializes claims across instances (the key is arbitrary but fixed: "rollout_outbox" as a number). */
    private static final String CLAIM_LOCK = "SELECT count(*) FROM (SELECT pg_advisory_xact_lock(7215371812)) l";
    /**
     * Due rows whose stream has no earlier row still waiting (a failed send backing off, or a row another instance
     * is sending): in write order, locked, skipping rows another relay holds. Native SQL through the Hibernate
     * Reactive session (the rows come back as managed entities).
     */
    private static final String CLAIM_DUE = """
            SELECT * FROM rollout_outbox o
            WHERE o.status = 'PENDING' AND o.next_attempt_at <= :now
              AND NOT EXISTS (SELECT 1 FROM rollout_outbox e
                              WHERE e.status = 'PENDING' AND e.kind = o.kind AND e.event_key = o.event_key
                                AND e.seq < o.seq AND e.next_attempt_at > :now)
            ORDER BY o.seq
            LIMIT :batch
            FOR UPDATE SKIP LOCKED
            """;
    private static final String PENDING_STATS = """
            SELECT count(*), count(last_error), min(created_at) FROM rollout_outbox WHERE status = 'PENDING'
            """;
    private static final String DELETE_SENT = "DELETE FROM rollout_outbox WHERE status = 'SENT' AND sent_at < :cutoff";

    private final OutboxPublisher publisher;
    private final Clock clock;
    private final OutboxConfig config;
    private final ReactiveTransactions transactions;
    private final Counter sent;
    private final Counter failures;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failing = new AtomicLong();
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;

    OutboxRelay(OutboxPublisher publisher, Clock clock, OutboxConfig config, ReactiveTransactions transactions,
            MeterRegistry registry) {
        this.publisher = publisher;
        this.clock = clock;
        this.config = config;
        this.transactions = transactions;
        this.sent = Counter.builder("vigil.guardrail.outbox.sent")
                .description("rollout events the broker acknowledged from the outbox").register(registry);
        this.failures = Counter.builder("vigil.guardrail.outbox.send.failures")
                .description("rollout outbox sends that failed (the event stays pending and is sent again)")
                .register(registry);
        Gauge.builder("vigil.guardrail.outbox.pending", pending, AtomicLong::get)
                .description("rollout events written but not yet acknowledged by Kafka (as of the last relay pass)")
                .register(registry);
        Gauge.builder("vigil.guardrail.outbox.failing", failing, AtomicLong::get)
                .description("pending rollout events whose last send failed (alert when it stays above 0)")
                .register(registry);
        Gauge.builder("vigil.guardrail.outbox.oldest.pending.seconds", oldestPendingMillis, m -> m.get() / 1000.0)
                .description("age of the oldest pending rollout event (as of the last relay pass)").register(registry);
    }

    /** What one pass did: sent, failed, and held back behind a failed earlier row of their stream. */
    public record Pass(int sent, int failed, int heldBack) {
        int claimed() {
            return sent + failed + heldBack;
        }
    }

    void start(@Observes StartupEvent start, Vertx vertx) {
        long every = config.relayEvery().toMillis();
        if (every > 0) {
            vertx.setPeriodic(every, every, id -> kick());
        }
        kick();
    }

    void stop(@Observes ShutdownEvent stop) {
        stopped = true;
    }

    /**
     * Asks for a pass now (after a transaction wrote events): one pass at a time per instance; asked during a pass,
     * another follows it.
     */
    public void kick() {
        again.set(true);
        if (!stopped && running.compareAndSet(false, true)) {
            loop();
        }
    }

    private void loop() {
        again.set(false);
        relay().subscribe().with(pass -> {
            if (pass.claimed() >= config.batchSize()) {
                again.set(true); // a full batch: there may be more due
            }
            finished();
        }, e -> {
            LOG.warnf("rollout outbox relay pass failed: %s", e.toString());
            finished();
        });
    }

    private void finished() {
        running.set(false);
        if (again.get() && !stopped && running.compareAndSet(false, true)) {
            loop();
        }
    }

    /** Publishes the rows due now (one batch), in write order, and refreshes the gauges. */
    public Uni<Pass> relay() {
        Instant now = clock.instant();
        return claim(now).chain(claimed -> sendAll(claimed, now))
                .call(pass -> housekeeping(now))
                .invoke(pass -> {
                    if (pass.claimed() > 0) {
                        LOG.debugf("rollout outbox pass at %s: %s", now, pass);
                    }
                });
    }

    private Uni<List<RelayedEvent>> claim(Instant now) {
        return transactions.inTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM_LOCK).getSingleResult()
                        .chain(locked -> session.createNativeQuery(CLAIM_DUE, OutboxEvent.class)
                                .setParameter("now", now).setParameter("batch", config.batchSize())
                                .getResultList()))
                .map(rows -> rows.stream().map(e -> {
                    e.attempts++;
                    e.nextAttemptAt = now.plus(config.lease());
                    return RelayedEvent.of(e);
                }).toList()));
    }

    /** One after the other in write order; a stream whose row failed sends nothing more in this pass. */
    private Uni<Pass> sendAll(List<RelayedEvent> claimed, Instant now) {
        Set<String> blocked = new HashSet<>();
        int[] counts = new int[3];
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RelayedEvent e : claimed) {
            chain = chain.chain(() -> {
                if (blocked.contains(e.stream())) {
                    counts[2]++;
                    return heldBack(e, now);
                }
                return send(e, now).invoke(ok -> {
                    if (ok) {
                        counts[0]++;
                    } else {
                        counts[1]++;
                        blocked.add(e.stream());
                    }
                }).replaceWithVoid();
            });
        }
        return chain.map(x -> new Pass(counts[0], counts[1], counts[2]));
    }

    private Uni<Boolean> send(RelayedEvent e, Instant now) {
        return Uni.createFrom().deferred(() -> publisher.publish(e))
                // a send the broker never answers must not hold the pass (and its claimed rows) for good
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new TimeoutException(
                        "no acknowledgement within " + config.sendTimeout()))
                .chain(() -> record(e, row -> {
                    row.status = OutboxEvent.SENT;
                    row.sentAt = clock.instant();
                    row.lastError = null;
                }))
                .invoke(() -> sent.increment())
                .replaceWith(true)
                .onFailure().recoverWithUni(failure -> failed(e, now, failure));
    }

    private Uni<Boolean> failed(RelayedEvent e, Instant now, Throwable failure) {
        failures.increment();
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        String shortError = error.length() > 300 ? error.substring(0, 300) : error;
        Instant next = now.plus(backoff(e.attempts()));
        LOG.warnf("rollout outbox event %s (%s of %s) not sent on attempt %d, next at %s: %s", e.id(), e.kind(),
                e.key(), e.attempts(), next, shortError);
        return record(e, row -> {
            // another relay may have sent it after this claim's lease ran out: sent stays sent
            if (OutboxEvent.PENDING.equals(row.status)) {
                row.lastError = shortError;
                row.nextAttemptAt = next;
            }
        }).replaceWith(false);
    }

    /** Not tried: an earlier row of its stream failed. Due again at once; it waits behind that row. */
    private Uni<Void> heldBack(RelayedEvent e, Instant now) {
        return record(e, row -> {
            if (OutboxEvent.PENDING.equals(row.status)) {
                row.attempts = Math.max(0, row.attempts - 1);
                row.nextAttemptAt = now;
            }
        });
    }

    /** A send's outcome, in a transaction of its own. */
    private Uni<Void> record(RelayedEvent e, Consumer<OutboxEvent> outcome) {
        return transactions.inTransaction(() -> OutboxEvent.<OutboxEvent>findById(e.id())
                .invoke(row -> {
                    if (row != null) {
                        outcome.accept(row);
                    }
                }).replaceWithVoid());
    }

    /** Deletes rows sent longer ago than {@code keep-sent} and refreshes the pending gauges. */
    private Uni<Void> housekeeping(Instant now) {
        return transactions.inTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(DELETE_SENT)
                        .setParameter("cutoff", now.minus(config.keepSent())).executeUpdate()
                        .chain(deleted -> session.createNativeQuery(PENDING_STATS, Object[].class)
                                .getSingleResult())))
                .invoke(row -> {
                    pending.set(((Number) row[0]).longValue());
                    failing.set(((Number) row[1]).longValue());
                    Instant oldest = row[2] == null ? null : toInstant(row[2]);
                    oldestPendingMillis.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest,
                            clock.instant()).toMillis()));
                })
                .replaceWithVoid();
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof java.time.LocalDateTime l) {
            return l.toInstant(java.time.ZoneOffset.UTC);
        }
        if (value instanceof java.util.Date d) {
            return d.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    /** {@code initial * 2^(attempts - 1)}, capped. */
    Duration backoff(int attempts) {
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = config.initialBackoff().multipliedBy(1L << shift);
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }

    /** Pending rows as of the last pass (for tests and the gauge). */
    public long pending() {
        return pending.get();
    }
}
