package io.vigil.incident.communication;

import java.time.Instant;
import java.util.UUID;

/** An update as posted to an audience, as operators read it (the figures snapshot stays inside the service). */
public record StakeholderUpdateView(UUID id, UUID incidentId, String audience, String kind, String body,
        String nextDecision, Instant nextDecisionAt, Instant wasDueAt, Instant nextDueAt, String postedBy,
        Instant postedAt) {

    static StakeholderUpdateView of(StakeholderUpdate u) {
        return new StakeholderUpdateView(u.id, u.incidentId, u.audience, u.kind, u.body, u.nextDecision,
                u.nextDecisionAt, u.wasDueAt, u.nextDueAt, u.postedBy, u.postedAt);
    }
}
