package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/**
 * Queues webhooks in {@code webhook_delivery}, inside the caller's transaction (call it within
 * {@code Panache.withTransaction}): a reminder or an update and the webhooks announcing it commit together or not at
 * all. {@link WebhookDispatcher} sends them.
 */
@ApplicationScoped
public class WebhookOutbox {

    private final ObjectMapper json;

    WebhookOutbox(ObjectMapper json) {
        this.json = json;
    }

    /** Queues the message for every active subscriber of the audience ({@code executives}, ...); how many. */
    public Uni<Integer> toAudience(String audienceKey, String eventType, UUID incidentId, SlackMessage message,
            Instant now) {
        return queue(s -> s.receives(audienceKey), eventType, incidentId, message, now);
    }

    /** Queues the message for the comms role: every active subscriber that receives overdue reminders; how many. */
    public Uni<Integer> toCommsRole(String eventType, UUID incidentId, SlackMessage message, Instant now) {
        return queue(s -> s.receivesReminders, eventType, incidentId, message, now);
    }

    private Uni<Integer> queue(Predicate<WebhookSubscriber> receives, String eventType, UUID incidentId,
            SlackMessage message, Instant now) {
        String payload = serialize(message);
        return WebhookSubscriber.<WebhookSubscriber>list("active", true).chain(subscribers -> {
            List<WebhookDelivery> queued = subscribers.stream().filter(receives).map(s -> {
                WebhookDelivery d = new WebhookDelivery();
                d.id = UUID.randomUUID();
                d.subscriberId = s.id;
                d.eventType = eventType;
                d.incidentId = incidentId;
                d.payload = payload;
                d.status = WebhookDelivery.PENDING;
                d.attempts = 0;
                d.nextAttemptAt = now;
                d.createdAt = now;
                return d;
            }).toList();
            return queued.isEmpty() ? Uni.createFrom().item(0)
                    : PanacheEntityBase.persist(queued).replaceWith(queued.size());
        });
    }

    private String serialize(SlackMessage message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("webhook payload does not serialize", e);
        }
    }
}
