package io.vigil.guardrail.rollout.events;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.CloudEventMessages;
import io.vigil.guardrail.rollout.outbox.OutboxPublisher;
import io.vigil.guardrail.rollout.outbox.RelayedEvent;

/**
 * Sends what the rollouts decided, as the outbox relay hands it over ({@code rollout.outbox.OutboxRelay}), each
 * waiting for Kafka's acknowledgement ({@code acks=all} on both channels): {@code RolloutStateChanged} on
 * vigil.rollouts.v1 (CloudEvents headers, {@code ce_id} = the event id it was written with, key = rollout id) and the
 * rollout's watch on the compacted topic the streaming topology reads ({@code guardrail.topics.rollout-watches}, plain
 * protobuf, key = rollout id).
 */
@ApplicationScoped
public class RolloutPublisher implements OutboxPublisher {

    static final String SERVICE = "guardrail-service";
    static final String STATE_CHANGED_TYPE = RolloutStateChanged.getDescriptor().getFullName();
    static final String VERDICT_TYPE = VerdictIssued.getDescriptor().getFullName();

    private final MutinyEmitter<byte[]> stateChanges;
    private final MutinyEmitter<byte[]> watches;
    private final MutinyEmitter<byte[]> monitorVerdicts;

    RolloutPublisher(@Channel("rollouts") MutinyEmitter<byte[]> stateChanges,
            @Channel("rollout-watches") MutinyEmitter<byte[]> watches,
            @Channel("monitor-verdicts") MutinyEmitter<byte[]> monitorVerdicts) {
        this.stateChanges = stateChanges;
        this.watches = watches;
        this.monitorVerdicts = monitorVerdicts;
    }

    @Override
    public Uni<Void> publish(RelayedEvent event) {
        return switch (event.kind()) {
            case STATE_CHANGED -> stateChanges.sendMessage(CloudEventMessages.of(new CloudEventHeaders(
                    event.id().toString(), CloudEventHeaders.sourceOf(SERVICE), STATE_CHANGED_TYPE, event.occurredAt(),
                    CloudEventHeaders.PROTOBUF), event.key(), event.payload()));
            case VERDICT -> monitorVerdicts.sendMessage(CloudEventMessages.of(new CloudEventHeaders(
                    event.id().toString(), CloudEventHeaders.sourceOf(SERVICE), VERDICT_TYPE, event.occurredAt(),
                    CloudEventHeaders.PROTOBUF), event.key(), event.payload()));
            case WATCH -> watches.sendMessage(Message.of(event.payload()).addMetadata(OutgoingKafkaRecordMetadata
                    .<String>builder().withKey(event.key()).build()));
        };
    }
}
