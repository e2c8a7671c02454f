package io.vigil.guardrail.rollout.store;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A verdict received on vigil.verdicts.v1 (the protobuf as received, so its evidence can be served and charted). */
@Entity
@Table(name = "rollout_verdict")
public class StoredVerdict extends PanacheEntityBase {

    @Id
    @Column(name = "verdict_id")
    public String verdictId;

    @Column(name = "rollout_id")
    public String rolloutId;

    public String kind;

    @Column(name = "evaluated_at")
    public OffsetDateTime evaluatedAt;

    @Column(name = "treatment_share")
    public double treatmentShare;

    public String reason;

    public byte[] payload;

    @Column(name = "received_at")
    public OffsetDateTime receivedAt;

    public String outcome;
}
