package io.vigil.incident.severity;

import java.time.Duration;
import java.time.Instant;

import io.vigil.incident.incident.Severity;

/**
 * Raise at once, lower only after the lower level has held for {@code lowerAfter} of event time. While a lower level is
 * pending, a worse reading restarts the wait (the pending level becomes the new reading if it is still below the
 * current one), so a metric that wobbles across a boundary keeps the higher severity.
 */
public final class SeverityHysteresis {

    /** The outcome of one reading: the severity in force and the pending lower level, if any, and since when. */
    public record State(Severity severity, Severity pendingLower, Instant pendingSince) {
    }

    private final Duration lowerAfter;

    public SeverityHysteresis(Duration lowerAfter) {
        this.lowerAfter = lowerAfter;
    }

    /**
     * @param current  the state before the reading
     * @param computed what the table gives for the reading
     * @param at       the reading's event time
     */
    public State next(State current, Severity computed, Instant at) {
        Severity severity = current.severity();
        if (severity == null || computed.worseThan(severity)) {
            return new State(computed, null, null);
        }
        if (computed == severity) {
            return new State(severity, null, null);
        }
        // computed is better than the current severity
        Severity pending = current.pendingLower();
        Instant since = current.pendingSince();
        if (pending == null || since == null) {
            return new State(severity, computed, at);
        }
        if (at.isBefore(since)) {
            // a late reading from before the wait began says nothing about whether the lower level has held since
            return current;
        }
        if (computed.worseThan(pending)) {
            // worse than the pending level but still better than the current one: every reading since `since` is at
            // or below this level, so it is the one that has held
            pending = computed;
        }
        if (!Duration.between(since, at).minus(lowerAfter).isNegative()) {
            // held long enough: lower to the pending level; an even better reading starts its own wait
            if (pending != computed) {
                return new State(pending, computed, at);
            }
            return new State(pending, null, null);
        }
        return new State(severity, pending, since);
    }
}
