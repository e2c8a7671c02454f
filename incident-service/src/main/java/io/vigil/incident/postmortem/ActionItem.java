package io.vigil.incident.postmortem;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A postmortem action item: typed, owned, due, and with the criterion that shows it is done. */
@Entity
@Table(name = "action_item")
public class ActionItem extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    @Enumerated(EnumType.STRING)
    public ActionItemKind kind;

    public String description;

    public String owner;

    @Column(name = "due_date")
    public LocalDate dueDate;

    public String verification;

    @Column(name = "done_at")
    public Instant doneAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;

    @Version
    public long version;

    public boolean overdue(LocalDate today) {
        return doneAt == null && dueDate.isBefore(today);
    }
}
