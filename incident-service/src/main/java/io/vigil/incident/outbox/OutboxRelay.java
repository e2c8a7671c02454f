package io.vigil.incident.outbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.config.ReactiveTransactions;

/**
 * Publishes the outbox: claims due events ({@code FOR UPDATE SKIP LOCKED}, so replicas split the work and never send
 * one event twice at once) and moves them a lease ahead, commits, sends each and waits for the broker's
 * acknowledgement, then marks it SENT. A failed send leaves the event PENDING for a later pass (exponential backoff,
 * never given up); a replica that dies mid-send leaves it to be claimed again when the lease ends. At least once,
 * with a stable event id for consumers to de-duplicate on.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * Due events, locked; rows another relay has locked are skipped rather than waited for. Native SQL through the
     * Hibernate Reactive session (the rows come back as managed entities): reactive Panache queries take no lock
     * timeout hint, and SKIP LOCKED is the point here.
     */
    private static final String CLAIM_DUE = """
            SELECT * FROM outbox_event
            WHERE status = 'PENDING' AND next_attempt_at <= :now
            ORDER BY next_attempt_at, id
            LIMIT :batch
            FOR UPDATE SKIP LOCKED
            """;

    private final OutboxPublisher publisher;
    private final Clock clock;
    private final OutboxConfig config;
    private final ReactiveTransactions transactions;
    private final Counter failures;

    OutboxRelay(OutboxPublisher publisher, Clock clock, OutboxConfig config, ReactiveTransactions transactions,
            MeterRegistry registry) {
        this.publisher = publisher;
        this.clock = clock;
        this.config = config;
        this.transactions = transactions;
        this.failures = Counter.builder("vigil.incident.outbox.send.failures")
                .description("outbox events whose send failed (they stay pending and are sent again)")
                .register(registry);
    }

    /** What one pass did. */
    public record Pass(int sent, int failed) {
    }

    @Scheduled(every = "${vigil.outbox.relay-every:5s}", identity = "event-outbox-relay",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return relay().onFailure().invoke(e -> LOG.warnf("outbox relay pass failed: %s", e.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Publishes every event due now (one batch), each in order of its due time. */
    public Uni<Pass> relay() {
        Instant now = clock.instant();
        return claim(now).chain(claimed -> Multi.createFrom().iterable(claimed)
                .onItem().transformToUniAndConcatenate(e -> send(e, now))
                .collect().asList()
                .map(outcomes -> {
                    int sent = (int) outcomes.stream().filter(Boolean::booleanValue).count();
                    if (!outcomes.isEmpty()) {
                        LOG.debugf("outbox relay pass at %s: %d sent, %d failed", now, sent, outcomes.size() - sent);
                    }
                    return new Pass(sent, outcomes.size() - sent);
                }));
    }

    private Uni<List<RelayedEvent>> claim(Instant now) {
        return transactions.inTransaction(() -> Panache.getSession()
                .chain(session -> session.createNativeQuery(CLAIM_DUE, OutboxEvent.class)
                        .setParameter("now", now).setParameter("batch", config.batchSize()).getResultList())
                .map(rows -> rows.stream().map(e -> {
                    e.attempts++;
                    e.nextAttemptAt = now.plus(config.lease());
                    return RelayedEvent.of(e);
                }).toList()));
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
                .replaceWith(true)
                .onFailure().recoverWithUni(failure -> failed(e, now, failure));
    }

    private Uni<Boolean> failed(RelayedEvent e, Instant now, Throwable failure) {
        failures.increment();
        String error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        String shortError = error.length() > 300 ? error.substring(0, 300) : error;
        Instant next = now.plus(backoff(e.attempts()));
        LOG.warnf("outbox event %s (%s) not sent on attempt %d, next at %s: %s", e.id(), e.eventType(), e.attempts(),
                next, shortError);
        return record(e, row -> {
            // another relay may have sent it after this claim's lease ran out: sent stays sent
            if (OutboxEvent.PENDING.equals(row.status)) {
                row.lastError = shortError;
                row.nextAttemptAt = next;
            }
        }).replaceWith(false);
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

    /** {@code initial * 2^(attempts - 1)}, capped. */
    Duration backoff(int attempts) {
        int shift = Math.min(Math.max(attempts - 1, 0), 30);
        Duration d = config.initialBackoff().multipliedBy(1L << shift);
        return d.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : d;
    }
}
