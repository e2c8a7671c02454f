package io.vigil.incident.communication;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/** The communications clock under test control: wall time until a test sets it. */
@Alternative
@Priority(1)
@ApplicationScoped
public class ControllableCommunicationClock extends CommunicationClock {

    private final AtomicReference<Instant> fixed = new AtomicReference<>();

    @Override
    public Instant now() {
        Instant t = fixed.get();
        return t != null ? t : super.now();
    }

    public void set(Instant t) {
        fixed.set(t);
    }

    public Instant advance(Duration d) {
        return fixed.updateAndGet(t -> t.plus(d));
    }
}
