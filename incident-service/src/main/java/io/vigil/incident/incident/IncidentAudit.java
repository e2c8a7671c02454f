package io.vigil.incident.incident;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Who changed what on an incident: the token's subject (or the service, for changes events caused). */
@Entity
@Table(name = "incident_audit")
public class IncidentAudit extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    public String actor;

    public String action;

    public String detail = "";

    @Column(name = "recorded_at")
    public Instant recordedAt;

    public static IncidentAudit of(UUID incidentId, String actor, String action, String detail, Instant at) {
        IncidentAudit a = new IncidentAudit();
        a.id = UUID.randomUUID();
        a.incidentId = incidentId;
        a.actor = actor;
        a.action = action;
        a.detail = detail == null ? "" : detail;
        a.recordedAt = at;
        return a;
    }
}
