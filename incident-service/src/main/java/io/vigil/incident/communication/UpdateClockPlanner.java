package io.vigil.incident.communication;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When an audience's next update is due: the last update (or the incident's opening, before any) plus the audience's
 * cadence at the incident's current severity. A severity change re-plans from the same base, so a SEV2 raised to SEV1
 * owes its executives an update 30 minutes after the last one, not 60. Resolved and closed incidents, and audiences
 * without a cadence at the severity, have no clock.
 */
public final class UpdateClockPlanner {

    private final CadencePolicy policy;

    public UpdateClockPlanner(CadencePolicy policy) {
        this.policy = policy;
    }

    public record PlannedClock(Audience audience, String severity, Duration cadence, Instant dueAt) {
    }

    /** @param lastUpdateAt the last update posted to the audience; null when none was */
    public Optional<PlannedClock> plan(IncidentFacts incident, Audience audience, Instant lastUpdateAt) {
        if (!incident.active() || incident.severity() == null) {
            return Optional.empty();
        }
        Instant base = lastUpdateAt != null ? lastUpdateAt : incident.openedAt();
        return policy.cadence(audience, incident.severity())
                .map(c -> new PlannedClock(audience, incident.severity(), c, base.plus(c)));
    }
}
