package io.vigil.incident.communication;

import java.time.Instant;
import java.util.UUID;

/** When an audience's next update about an incident is due, and whether it is overdue at {@code now}. */
public record UpdateClock(UUID incidentId, String audience, String severity, int cadenceMinutes, Instant dueAt,
        Instant lastUpdateAt, boolean overdue) {
}
