package io.vigil.incident.outbox;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vigil.contracts.events.v1.StakeholderUpdateOverdue;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.CloudEventMessages;

/**
 * Publishes relayed events to their Kafka channel with CloudEvents binary headers, keeping the outbox id as
 * {@code ce_id}. {@code sendMessage} completes on the broker's acknowledgement (the channel's producer waits for
 * {@code acks=all} by default), so "sent" means stored by Kafka.
 */
@ApplicationScoped
class KafkaOutboxPublisher implements OutboxPublisher {

    static final String SOURCE = "incident-service";
    static final String OVERDUE_TYPE = StakeholderUpdateOverdue.getDescriptor().getFullName();

    private final MutinyEmitter<byte[]> stakeholderUpdates;

    KafkaOutboxPublisher(@Channel("stakeholder-updates") MutinyEmitter<byte[]> stakeholderUpdates) {
        this.stakeholderUpdates = stakeholderUpdates;
    }

    @Override
    public Uni<Void> publish(RelayedEvent event) {
        if (!OVERDUE_TYPE.equals(event.eventType())) {
            return Uni.createFrom().failure(new IllegalStateException("no channel for " + event.eventType()));
        }
        CloudEventHeaders headers = new CloudEventHeaders(event.id().toString(), CloudEventHeaders.sourceOf(SOURCE),
                event.eventType(), event.occurredAt(), CloudEventHeaders.PROTOBUF);
        return stakeholderUpdates.sendMessage(CloudEventMessages.of(headers, event.key(), event.payload()));
    }
}
