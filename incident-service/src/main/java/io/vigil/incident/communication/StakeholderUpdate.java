package io.vigil.incident.communication;

import java.time.Instant;
import java.util.UUID;

/** An update as posted to an audience; {@code NO_CHANGE} is a valid update and resets the audience's clock. */
public record StakeholderUpdate(UUID id, UUID incidentId, String audience, String kind, String body,
        String nextDecision, Instant nextDecisionAt, Instant wasDueAt, Instant nextDueAt, String postedBy,
        Instant postedAt) {

    public static final String UPDATE = "UPDATE";
    public static final String NO_CHANGE = "NO_CHANGE";
}
