package io.vigil.incident.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One Kafka event waiting in the outbox (or sent from it): see {@link EventOutbox} and {@link OutboxRelay}. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";

    /** The event's id ({@code ce_id} and the payload's {@code event_id}), the same on every attempt. */
    @Id
    public UUID id;

    /** {@code ce_type}: the payload's protobuf full name. */
    @Column(name = "event_type")
    public String eventType;

    /** The Kafka key. */
    @Column(name = "event_key")
    public String eventKey;

    /** The protobuf encoding of the event. */
    public byte[] payload;

    /** {@code ce_time}. */
    @Column(name = "occurred_at")
    public Instant occurredAt;

    /** {@link #PENDING} or {@link #SENT}. */
    public String status;

    /** Claims so far (a claim that crashed counts too). */
    public int attempts;

    @Column(name = "next_attempt_at")
    public Instant nextAttemptAt;

    /** Why the last send failed: the exception's class and message (Kafka's, never an event's content). */
    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
