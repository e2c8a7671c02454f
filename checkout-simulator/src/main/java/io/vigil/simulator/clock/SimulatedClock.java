package io.vigil.simulator.clock;

import java.time.Duration;
import java.time.Instant;

/**
 * Simulated (event) time running {@code speed} times faster than the wall clock from a chosen start: at speed 120 one
 * simulated hour passes in 30 s. Every request's {@code created_at} and every outcome's time come from here; only
 * feature updates carry wall-clock time (see the module README). Pure arithmetic, so a test can drive it with any
 * wall-clock reading.
 */
public record SimulatedClock(Instant start, double speed, long wallOriginNanos) {

    public SimulatedClock {
        if (!(speed > 0) || Double.isInfinite(speed)) {
            throw new IllegalArgumentException("speed must be a positive number, got " + speed);
        }
    }

    /** Simulated time at wall-clock reading {@code wallNanos} (System.nanoTime scale). */
    public Instant at(long wallNanos) {
        return start.plusNanos((long) ((wallNanos - wallOriginNanos) * speed));
    }

    /** Simulated time elapsed since the start at {@code wallNanos}. */
    public Duration elapsed(long wallNanos) {
        return Duration.ofNanos((long) ((wallNanos - wallOriginNanos) * speed));
    }

    /** The wall-clock reading at which simulated time reaches {@code eventTime}. */
    public long wallNanosAt(Instant eventTime) {
        Duration d = Duration.between(start, eventTime);
        return wallOriginNanos + (long) (d.toNanos() / speed);
    }
}
