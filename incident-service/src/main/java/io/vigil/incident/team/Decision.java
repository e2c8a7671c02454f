package io.vigil.incident.team;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** The decision log: what was decided, which options were weighed, why, who owns it, when. */
@Entity
@Table(name = "decision")
public class Decision extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    public String decision;

    /** The options considered, one per line. */
    public String options = "";

    public String rationale;

    public String owner;

    @Column(name = "decided_at")
    public Instant decidedAt;

    @Column(name = "recorded_by")
    public String recordedBy;
}
