package io.vigil.incident.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a failed webhook is tried again: exponential backoff, {@code initial * 2^(attempts - 1)} after the
 * {@code attempts}-th failure, capped at {@code max}; after {@code maxAttempts} failures the delivery is dead-lettered.
 */
public record RetryPolicy(int maxAttempts, Duration initial, Duration max) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff must be positive and max >= initial");
        }
    }

    /**
     * @param attempts how many attempts have failed so far (>= 1)
     * @return when to try again, or empty when the delivery goes to the dead letters
     */
    public Optional<Instant> nextAttempt(int attempts, Instant failedAt) {
        if (attempts >= maxAttempts) {
            return Optional.empty();
        }
        return Optional.of(failedAt.plus(backoff(attempts)));
    }

    Duration backoff(int attempts) {
        // 2^(attempts-1) overflows long millis past ~62 doublings; the cap is reached long before.
        int shift = Math.min(attempts - 1, 30);
        Duration d = initial.multipliedBy(1L << shift);
        return d.compareTo(max) > 0 ? max : d;
    }
}
