package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A webhook receiver as operators see it: never its secret. */
public record WebhookSubscriberView(UUID id, String name, String url, List<String> audiences,
        boolean receivesReminders, boolean active, String createdBy, Instant createdAt) {

    static WebhookSubscriberView of(WebhookSubscriber s) {
        return new WebhookSubscriberView(s.id, s.name, s.url, List.copyOf(s.audiences), s.receivesReminders, s.active,
                s.createdBy, s.createdAt);
    }
}
