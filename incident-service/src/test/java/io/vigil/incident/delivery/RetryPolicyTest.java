package io.vigil.incident.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final Instant T = Instant.parse("2026-11-29T09:00:00Z");

    @Test
    void shouldDoubleTheWaitAfterEachFailureUpToTheCapThenDeadLetter() {
        RetryPolicy policy = new RetryPolicy(6, Duration.ofSeconds(10), Duration.ofSeconds(60));
        assertEquals(Optional.of(T.plusSeconds(10)), policy.nextAttempt(1, T));
        assertEquals(Optional.of(T.plusSeconds(20)), policy.nextAttempt(2, T));
        assertEquals(Optional.of(T.plusSeconds(40)), policy.nextAttempt(3, T));
        assertEquals(Optional.of(T.plusSeconds(60)), policy.nextAttempt(4, T), "80 s capped at 60");
        assertEquals(Optional.of(T.plusSeconds(60)), policy.nextAttempt(5, T));
        assertTrue(policy.nextAttempt(6, T).isEmpty(), "6 failed attempts of 6: dead letter");
    }

    @Test
    void shouldNotOverflowForManyAttempts() {
        RetryPolicy policy = new RetryPolicy(1000, Duration.ofSeconds(1), Duration.ofHours(1));
        assertEquals(Optional.of(T.plus(Duration.ofHours(1))), policy.nextAttempt(999, T));
    }
}
