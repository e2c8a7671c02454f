package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.UUID;

/** One row of the delivery log: a webhook, its attempts and outcome (the payload is kept, the signature is not). */
public record WebhookDeliveryView(UUID id, UUID subscriberId, String subscriberName, String eventType,
        UUID incidentId, String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt,
        Integer lastStatusCode, String lastError, Instant createdAt, Instant deliveredAt, String payload) {

    static WebhookDeliveryView of(WebhookDelivery d, String subscriberName) {
        return new WebhookDeliveryView(d.id, d.subscriberId, subscriberName, d.eventType, d.incidentId, d.status,
                d.attempts, d.nextAttemptAt, d.lastAttemptAt, d.lastStatusCode, d.lastError, d.createdAt,
                d.deliveredAt, d.payload);
    }
}
