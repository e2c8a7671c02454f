package io.vigil.incident.outbox;

import java.time.Instant;
import java.util.UUID;

/** An outbox row as a relay claimed it: what to send, and how many claims it has had (this one included). */
public record RelayedEvent(UUID id, String eventType, String key, byte[] payload, Instant occurredAt, int attempts) {

    static RelayedEvent of(OutboxEvent e) {
        return new RelayedEvent(e.id, e.eventType, e.eventKey, e.payload, e.occurredAt, e.attempts);
    }
}
