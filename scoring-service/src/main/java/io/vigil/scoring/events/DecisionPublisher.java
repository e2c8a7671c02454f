package io.vigil.scoring.events;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;

import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.eventing.ServiceInstance;
import io.vigil.scoring.config.ScoringConfig;
import io.vigil.scoring.metrics.ScoringMetrics;

/**
 * Publishes DecisionMade events to vigil.decisions.v1, shedding load on purpose: at most {@code eventBuffer} events
 * wait for Kafka's acknowledgement; beyond that, or when Kafka refuses one, the event is dropped and counted. The
 * emitter's own buffer is unbounded because this counter bounds it; Score never waits on Kafka.
 */
@ApplicationScoped
public class DecisionPublisher {

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Emitter<byte[]> emitter;
    private final ServiceInstance instance;
    private final ScoringMetrics metrics;
    private final int capacity;
    private final AtomicInteger pending = new AtomicInteger();

    DecisionPublisher(@Channel("decisions") @OnOverflow(OnOverflow.Strategy.UNBOUNDED_BUFFER) Emitter<byte[]> emitter,
            ServiceInstance instance, ScoringMetrics metrics, ScoringConfig config) {
        this.emitter = emitter;
        this.instance = instance;
        this.metrics = metrics;
        this.capacity = config.decisions().eventBuffer();
    }

    public void publish(DecisionMade event, Instant decidedAt) {
        if (pending.incrementAndGet() > capacity) {
            pending.decrementAndGet();
            metrics.eventDropped();
            return;
        }
        Message<byte[]> message = CloudEventMessages.of(instance.service(), event.getTransactionId(), event, decidedAt)
                .withAck(() -> {
                    pending.decrementAndGet();
                    metrics.eventSent();
                    return DONE;
                })
                .withNack(failure -> {
                    pending.decrementAndGet();
                    metrics.eventDropped();
                    return DONE;
                });
        try {
            emitter.send(message);
        } catch (RuntimeException refused) {
            // The emitter refuses when its downstream failed or was cancelled: drop, never fail the decision.
            pending.decrementAndGet();
            metrics.eventDropped();
        }
    }

    /** Events sent but not yet acknowledged (tests and the readiness picture). */
    public int pending() {
        return pending.get();
    }
}
