package io.vigil.guardrail.rollout.outbox;

import io.smallrye.mutiny.Uni;

/** Sends one relayed event; the Uni completes once the broker acknowledged it, and fails when it did not. */
public interface OutboxPublisher {

    Uni<Void> publish(RelayedEvent event);
}
