package io.vigil.incident.status;

import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a status page from flapping: a component changes its shown state only once a different measured state has
 * held, observation after observation, for a configured time ({@code holdBeforeWorse} to show a worse state,
 * {@code holdBeforeBetter} to show a better one). A measurement that returns to the shown state, or moves to a third
 * state, restarts the wait. Pure: time comes from the caller, so replays and tests control it.
 */
public final class FlapSuppressor {

    private final Duration holdBeforeWorse;
    private final Duration holdBeforeBetter;

    public FlapSuppressor(Duration holdBeforeWorse, Duration holdBeforeBetter) {
        if (holdBeforeWorse.isNegative() || holdBeforeBetter.isNegative()) {
            throw new IllegalArgumentException("hold times must not be negative");
        }
        this.holdBeforeWorse = holdBeforeWorse;
        this.holdBeforeBetter = holdBeforeBetter;
    }

    /**
     * @param previous what was shown before; null for a component never observed (it shows its measurement at once:
     *                 there is nothing to flap from)
     */
    public ShownStatus observe(ShownStatus previous, ComponentStatus measured, Instant now) {
        if (previous == null) {
            return ShownStatus.initially(measured, now);
        }
        if (measured == previous.shown()) {
            return new ShownStatus(previous.shown(), previous.shownSince(), null, null);
        }
        Instant since = measured == previous.candidate() ? previous.candidateSince() : now;
        Duration hold = measured.worseThan(previous.shown()) ? holdBeforeWorse : holdBeforeBetter;
        if (!now.isBefore(since.plus(hold))) {
            // The new state began when it was first measured, not when the wait ran out.
            return new ShownStatus(measured, since, null, null);
        }
        return new ShownStatus(previous.shown(), previous.shownSince(), measured, since);
    }
}
