package io.vigil.guardrail.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.apache.kafka.common.KafkaException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class StreamThreadRecoveryTest {

    /** A clock the test moves. */
    static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-11-29T16:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void shouldReplaceAFailedThreadUntilFailuresRepeatTooOftenThenShutDown() {
        MovingClock clock = new MovingClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        StreamThreadRecovery recovery = new StreamThreadRecovery(clock, registry, 3, Duration.ofMinutes(10));
        KafkaException error = new KafkaException("OUT_OF_ORDER_SEQUENCE_NUMBER");

        for (int i = 0; i < 3; i++) {
            assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, recovery.handle(error), "failure " + (i + 1));
            clock.now = clock.now.plusSeconds(60);
        }
        // The fourth within ten minutes of the first: it keeps coming back, so stop rather than loop.
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, recovery.handle(error));
        assertEquals(3.0, registry.get("vigil.guardrail.stream.threads.replaced").counter().count());

        // Ten minutes after the first failure it has left the window: one more replacement is allowed.
        MovingClock later = new MovingClock();
        StreamThreadRecovery fresh = new StreamThreadRecovery(later, new SimpleMeterRegistry(), 3, Duration.ofMinutes(10));
        for (int i = 0; i < 3; i++) {
            fresh.handle(error);
            later.now = later.now.plusSeconds(60);
        }
        later.now = later.now.plus(Duration.ofMinutes(8)).plusSeconds(1);
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, fresh.handle(error));
    }
}
