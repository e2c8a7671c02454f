package io.vigil.incident.status;

import java.time.Instant;

/**
 * What the status page shows for a component, and the state it may change to: {@code candidate} has been measured
 * without interruption since {@code candidateSince}; null when the measurement agrees with what is shown.
 */
public record ShownStatus(ComponentStatus shown, Instant shownSince, ComponentStatus candidate, Instant candidateSince) {

    public static ShownStatus initially(ComponentStatus status, Instant now) {
        return new ShownStatus(status, now, null, null);
    }
}
