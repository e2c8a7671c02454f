package io.vigil.incident.outbox;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.Message;

import io.smallrye.mutiny.Uni;

/**
 * Writes Kafka events into {@code outbox_event} inside the caller's transaction (call it within
 * {@code Panache.withTransaction}): the event exists exactly when the change it announces committed. {@link OutboxRelay}
 * publishes it. Outbox bookkeeping runs on the service's wall clock, whatever clock decided the event.
 */
@ApplicationScoped
public class EventOutbox {

    private final Clock clock;

    EventOutbox(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param eventId the event's id, also written into the payload by the caller; consumers de-duplicate on it
     * @param key     the Kafka key
     * @param event   the payload; {@code ce_type} is its protobuf full name
     * @param occurredAt {@code ce_time}
     */
    public Uni<Void> enqueue(UUID eventId, String key, Message event, Instant occurredAt) {
        OutboxEvent e = new OutboxEvent();
        e.id = eventId;
        e.eventType = event.getDescriptorForType().getFullName();
        e.eventKey = key;
        e.payload = event.toByteArray();
        e.occurredAt = occurredAt;
        e.status = OutboxEvent.PENDING;
        e.attempts = 0;
        e.createdAt = clock.instant();
        e.nextAttemptAt = e.createdAt;
        return e.persist().replaceWithVoid();
    }
}
