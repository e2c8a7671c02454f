package io.vigil.incident.incident;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where an incident stands. The allowed moves are the lifecycle an incident commander follows; anything else is refused
 * (409) so the record cannot say "closed" for something that was never resolved.
 */
public enum IncidentState {
    DETECTED,
    INVESTIGATING,
    MITIGATING,
    MONITORING,
    RESOLVED,
    CLOSED;

    /** The states this one may move to. */
    public Set<IncidentState> next() {
        return switch (this) {
            // Straight to RESOLVED only as a false alarm: the detection was wrong, nothing to mitigate.
            case DETECTED -> EnumSet.of(INVESTIGATING, MITIGATING, RESOLVED);
            case INVESTIGATING -> EnumSet.of(MITIGATING, MONITORING, RESOLVED);
            case MITIGATING -> EnumSet.of(INVESTIGATING, MONITORING);
            // A mitigation that stops holding sends the incident back.
            case MONITORING -> EnumSet.of(INVESTIGATING, MITIGATING, RESOLVED);
            // Reopened when the harm comes back before the postmortem closes it.
            case RESOLVED -> EnumSet.of(INVESTIGATING, CLOSED);
            case CLOSED -> EnumSet.noneOf(IncidentState.class);
        };
    }

    public boolean canMoveTo(IncidentState target) {
        return next().contains(target);
    }

    /** Open incidents are the ones new alarms can join and the status page shows as current. */
    public boolean isOpen() {
        return this != RESOLVED && this != CLOSED;
    }
}
