package io.vigil.incident.delivery;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One webhook to send, and the delivery log of it: queued in the transaction that decided it (the outbox), claimed
 * by a dispatcher, then delivered, retried later, or dead.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String DELIVERED = "DELIVERED";
    public static final String DEAD = "DEAD";

    /** Also the {@code Vigil-Delivery-Id} header, constant across attempts so receivers de-duplicate on it. */
    @Id
    public UUID id;

    /**
     * The receiver, by id rather than as an association: a claim locks delivery rows only, so a dispatcher never
     * holds (or skips) a subscriber's row because another replica is sending to it.
     */
    @Column(name = "subscriber_id")
    public UUID subscriberId;

    @Column(name = "event_type")
    public String eventType;

    @Column(name = "incident_id")
    public UUID incidentId;

    /** The JSON body as signed and sent. */
    public String payload;

    /** {@link #PENDING}, {@link #DELIVERED} or {@link #DEAD}. */
    public String status;

    public int attempts;

    /** When a dispatcher may take it: the next retry, or the end of a claim's lease. */
    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    @Column(name = "last_attempt_at")
    public Instant lastAttemptAt;

    @Column(name = "last_status_code")
    public Integer lastStatusCode;

    /** The HTTP status or the exception's class: never a message, which could quote a URL carrying a token. */
    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "delivered_at")
    public Instant deliveredAt;
}
