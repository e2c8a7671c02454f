package io.vigil.incident.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The event outbox relay. */
@ConfigMapping(prefix = "vigil.outbox")
public interface OutboxConfig {

    /**
     * How often the relay looks for events to publish; {@code off} disables the schedule (the service still relays
     * right after a transaction that wrote events).
     */
    @WithDefault("5s")
    String relayEvery();

    /** Events claimed per relay pass. */
    @WithDefault("100")
    int batchSize();

    /**
     * How long a claimed event is hidden from other relays while it is being sent; a replica that dies mid-send leaves
     * it to be sent again after this (with the same id).
     */
    @WithDefault("1m")
    Duration lease();

    /** A send not acknowledged within this counts as failed (and is retried); keep it under {@link #lease()}. */
    @WithDefault("30s")
    Duration sendTimeout();

    /** Wait after the first failed send; doubled after each further one. Events are never given up. */
    @WithDefault("5s")
    Duration initialBackoff();

    /** Longest wait between sends of one event. */
    @WithDefault("5m")
    Duration maxBackoff();
}
