package io.vigil.scoring.decisions;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the decision claim is worth waiting for. After {@code threshold} claims in a row timed out or failed,
 * PostgreSQL is taken as down: claims are skipped (the checkout pays nothing for a database it knows is down) until a
 * background probe gets an answer again. One success closes it; a success in between resets the count, so a slow
 * database that answers some claims keeps being asked.
 *
 * <p>Plain class, no clock of its own: the owner decides when to probe.
 */
public final class ClaimBreaker {

    private final int threshold;
    private final AtomicInteger failuresInARow = new AtomicInteger();
    private final AtomicBoolean open = new AtomicBoolean();

    public ClaimBreaker(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1, got " + threshold);
        }
        this.threshold = threshold;
    }

    /** True when claims should be skipped: the database is known to be down. */
    public boolean isOpen() {
        return open.get();
    }

    /** A claim (or probe) got an answer from PostgreSQL. */
    public void succeeded() {
        failuresInARow.set(0);
        open.set(false);
    }

    /** A claim timed out or failed; returns true when this failure opened the breaker. */
    public boolean failed() {
        return failuresInARow.incrementAndGet() >= threshold && open.compareAndSet(false, true);
    }
}
