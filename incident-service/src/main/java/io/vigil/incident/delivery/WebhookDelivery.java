package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.UUID;

/** One row of the delivery log: a webhook, its attempts and outcome (the payload is kept, the signature is not). */
public record WebhookDelivery(UUID id, UUID subscriberId, String subscriberName, String eventType, UUID incidentId,
        String status, int attempts, Instant nextAttemptAt, Instant lastAttemptAt, Integer lastStatusCode,
        String lastError, Instant createdAt, Instant deliveredAt, String payload) {
}
