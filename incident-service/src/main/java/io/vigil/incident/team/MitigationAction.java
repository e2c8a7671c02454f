package io.vigil.incident.team;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Something done to limit the harm (a rollback, a threshold canary), linked to the rollout that carries it out. */
@Entity
@Table(name = "mitigation_action")
public class MitigationAction extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    public String description;

    /** The guardrail-service rollout carrying this mitigation; empty when none does. */
    @Column(name = "rollout_id")
    public String rolloutId = "";

    @Enumerated(EnumType.STRING)
    public MitigationStatus status;

    public String owner;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Version
    public long version;
}
