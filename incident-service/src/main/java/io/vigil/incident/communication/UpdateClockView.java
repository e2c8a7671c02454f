package io.vigil.incident.communication;

import java.time.Instant;
import java.util.UUID;

/** When an audience's next update about an incident is due, and whether it is overdue at {@code now}. */
public record UpdateClockView(UUID incidentId, String audience, String severity, int cadenceMinutes, Instant dueAt,
        Instant lastUpdateAt, boolean overdue) {

    static UpdateClockView of(UpdateClock c, Instant now) {
        return new UpdateClockView(c.incidentId, c.audience, c.severity, c.cadenceMinutes, c.dueAt, c.lastUpdateAt,
                !c.dueAt.isAfter(now));
    }
}
