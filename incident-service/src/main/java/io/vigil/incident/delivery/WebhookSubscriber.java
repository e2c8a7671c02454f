package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vigil.incident.incident.ComponentsConverter;

/**
 * A webhook receiver: its URL, its own signing secret (never logged, never returned after creation), the audiences
 * whose updates it receives, and whether it is the comms role's channel for overdue reminders.
 */
@Entity
@Table(name = "webhook_subscriber")
public class WebhookSubscriber extends PanacheEntityBase {

    @Id
    public UUID id;

    /** Unique. */
    public String name;

    public String url;

    /** The HMAC key of {@link WebhookSignature}. */
    public String secret;

    /** Audience keys; stored comma-separated like incident components (keys never hold a comma). */
    @Convert(converter = ComponentsConverter.class)
    public List<String> audiences = new ArrayList<>();

    @Column(name = "receives_reminders")
    public boolean receivesReminders;

    public boolean active;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    boolean receives(String audienceKey) {
        return audiences.contains(audienceKey);
    }
}
