package io.vigil.guardrail.rollout.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The rollout outbox relay (keys as incident-service's {@code vigil.outbox.*}, under {@code guardrail.outbox}). */
@ConfigMapping(prefix = "guardrail.outbox")
public interface OutboxConfig {

    /**
     * How often each instance looks for events to publish, as a safety net: a transaction that wrote events asks for
     * a pass right after it committed. {@code 0s} disables the schedule.
     */
    @WithDefault("5s")
    Duration relayEvery();

    /** Events claimed per pass. */
    @WithDefault("100")
    int batchSize();

    /**
     * How long a claimed event is hidden from other relays while it is being sent; an instance that dies mid-send
     * leaves it to be sent again after this (with the same id).
     */
    @WithDefault("1m")
    Duration lease();

    /** A send not acknowledged within this counts as failed (and is retried); keep it under {@link #lease()}. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Wait after the first failed send; doubled after each further one. Events are never given up. */
    @WithDefault("1s")
    Duration initialBackoff();

    /** Longest wait between sends of one event. */
    @WithDefault("1m")
    Duration maxBackoff();

    /** Sent rows are deleted after this (the audit keeps the history; the rows only prove delivery). */
    @WithDefault("7d")
    Duration keepSent();
}
