package io.vigil.guardrail.rollout.events;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.state.RolloutWatch;

/**
 * Sends what the rollouts decided, each after its change is committed and each waiting for Kafka's acknowledgement:
 * {@code RolloutStateChanged} on vigil.rollouts.v1 (CloudEvents headers, key = rollout id) and the rollout's watch on
 * the compacted topic the streaming topology reads ({@code guardrail.topics.rollout-watches}, plain protobuf, key =
 * rollout id). A send that fails is logged and counted; the watch is re-published at every start, and the database
 * keeps the audit.
 */
@ApplicationScoped
public class RolloutPublisher {

    private static final Logger LOG = Logger.getLogger(RolloutPublisher.class);
    static final String SERVICE = "guardrail-service";

    private final MutinyEmitter<byte[]> stateChanges;
    private final MutinyEmitter<byte[]> watches;
    private final Counter failed;

    RolloutPublisher(@Channel("rollouts") MutinyEmitter<byte[]> stateChanges,
            @Channel("rollout-watches") MutinyEmitter<byte[]> watches, MeterRegistry registry) {
        this.stateChanges = stateChanges;
        this.watches = watches;
        this.failed = Counter.builder("vigil.guardrail.rollout.events.failed")
                .description("rollout state changes or watches Kafka did not acknowledge").register(registry);
    }

    public Uni<Void> stateChanged(RolloutStateChanged event) {
        Instant at = ProtoTime.toInstant(event.getChangedAt());
        return send(stateChanges, CloudEventMessages.of(SERVICE, event.getRolloutId(), event, at),
                "state change " + event.getEventId());
    }

    public Uni<Void> watch(RolloutWatch watch) {
        Message<byte[]> message = Message.of(watch.toByteArray()).addMetadata(OutgoingKafkaRecordMetadata
                .<String>builder().withKey(watch.getRolloutId()).build());
        return send(watches, message, "watch of " + watch.getRolloutId());
    }

    private Uni<Void> send(MutinyEmitter<byte[]> emitter, Message<byte[]> message, String what) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(message))
                .onFailure().invoke(e -> {
                    failed.increment();
                    LOG.warnf("Kafka did not take the %s: %s", what, e.toString());
                })
                .onFailure().recoverWithNull();
    }
}
