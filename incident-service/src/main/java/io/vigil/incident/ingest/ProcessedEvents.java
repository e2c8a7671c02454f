package io.vigil.incident.ingest;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vigil.eventing.CloudEventHeaders;

/**
 * Idempotent consumption: an event's id is claimed in processed_event in the same transaction as its effects, so a
 * redelivery (or a replay) finds it claimed and changes nothing. Ingest transactions also take one advisory lock, so
 * alarms arriving on different topics at once cannot open two incidents for one cause.
 */
@ApplicationScoped
public class ProcessedEvents {

    private final java.time.Clock clock;

    ProcessedEvents(java.time.Clock clock) {
        this.clock = clock;
    }

    /** Arbitrary, fixed: the advisory lock every ingest transaction of this service takes. */
    static final long INGEST_LOCK = 0x76696769_6c696e63L;

    /**
     * True when the event had not been applied before (and now counts as applied once the transaction commits). Read
     * then insert is safe here because every ingest transaction holds {@link #lock()} first.
     */
    public Uni<Boolean> claim(CloudEventHeaders event) {
        return ProcessedEvent.<ProcessedEvent>findById(event.id()).flatMap(seen -> {
            if (seen != null) {
                return Uni.createFrom().item(false);
            }
            ProcessedEvent p = new ProcessedEvent();
            p.eventId = event.id();
            p.eventType = event.type();
            p.source = event.source();
            p.receivedAt = clock.instant();
            return p.persist().replaceWith(true);
        });
    }

    /** Serialises ingest transactions (held until commit). */
    public Uni<Void> lock() {
        return Panache.getSession().flatMap(s -> s.createNativeQuery(
                "SELECT 1 FROM (SELECT pg_advisory_xact_lock(" + INGEST_LOCK + ")) AS l", Integer.class)
                .getSingleResult())
                .replaceWithVoid();
    }
}
