package io.vigil.incident.timeline;

import java.time.Instant;

/**
 * Something for a timeline that does not open an incident (a recovery, a rollout step, a deploy). {@code foldKey} may be
 * null: then every occurrence is its own entry.
 */
public record TimelineFact(String eventId, String author, TimelineKind kind, Instant occurredAt, String summary,
        String detail, String foldKey) {
}
