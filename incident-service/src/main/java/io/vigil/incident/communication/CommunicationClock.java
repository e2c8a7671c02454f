package io.vigil.incident.communication;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The clock due times and reminders are judged by: wall time, because an update is owed to people now, whatever the
 * events' times. A bean of its own (not a shared {@code java.time.Clock}) so tests replace it with a controllable one
 * without touching the rest of the service's time.
 */
@ApplicationScoped
public class CommunicationClock {

    private final Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant();
    }
}
