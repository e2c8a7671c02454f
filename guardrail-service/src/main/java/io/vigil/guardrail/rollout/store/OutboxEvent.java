package io.vigil.guardrail.rollout.store;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One Kafka record of the rollouts waiting in the outbox (or sent from it): written in the transaction of the change it
 * announces ({@code rollout.outbox.RolloutOutbox}), published by {@code rollout.outbox.OutboxRelay}.
 */
@Entity
@Table(name = "rollout_outbox")
public class OutboxEvent extends PanacheEntityBase {

    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";

    /** The event's id ({@code ce_id}, the payload's {@code event_id}), the same on every attempt. */
    @Id
    public UUID id;

    /** Write order, assigned by the database (bigserial): per kind and key, rows go out in this order. */
    @Column(insertable = false, updatable = false)
    public Long seq;

    /** STATE_CHANGED or WATCH: which topic, and whether with CloudEvents headers. */
    public String kind;

    /** The Kafka key (the rollout id). */
    @Column(name = "event_key")
    public String eventKey;

    /** The protobuf encoding of the record's value. */
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

    /** Why the last send failed: the exception's class and message (Kafka's, never the event's content). */
    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
