package io.vigil.guardrail.rollout.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.rollout.store.OutboxEvent;

/**
 * Writes what a rollout change announces into {@code rollout_outbox} inside the caller's transaction (call it within
 * {@code Panache.withTransaction}): the events exist exactly when the change committed, none half-written.
 * {@link OutboxRelay} publishes them. Bookkeeping runs on the service's wall clock, whatever time the change is
 * stamped with.
 */
@ApplicationScoped
public class RolloutOutbox {

    private final Clock clock;

    RolloutOutbox(Clock clock) {
        this.clock = clock;
    }

    /** The state changes in order, then the watch (either may be absent). */
    public Uni<Void> enqueue(List<RolloutStateChanged> events, RolloutWatch watch) {
        List<OutboxEvent> rows = new ArrayList<>();
        Instant now = clock.instant();
        for (RolloutStateChanged e : events) {
            rows.add(row(UUID.fromString(e.getEventId()), RelayedEvent.Kind.STATE_CHANGED, e.getRolloutId(),
                    e.toByteArray(), ProtoTime.toInstant(e.getChangedAt()), now));
        }
        if (watch != null) {
            rows.add(row(UUID.randomUUID(), RelayedEvent.Kind.WATCH, watch.getRolloutId(), watch.toByteArray(), now,
                    now));
        }
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Persisted in this order, so the database numbers them (seq) in this order.
        return PanacheEntityBase.persist(rows.stream()).replaceWithVoid();
    }

    private static OutboxEvent row(UUID id, RelayedEvent.Kind kind, String key, byte[] payload, Instant occurredAt,
            Instant now) {
        OutboxEvent e = new OutboxEvent();
        e.id = id;
        e.kind = kind.name();
        e.eventKey = key;
        e.payload = payload;
        e.occurredAt = occurredAt;
        e.status = OutboxEvent.PENDING;
        e.attempts = 0;
        e.createdAt = now;
        e.nextAttemptAt = now;
        return e;
    }
}
