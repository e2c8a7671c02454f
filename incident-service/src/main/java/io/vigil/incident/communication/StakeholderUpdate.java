package io.vigil.incident.communication;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * An update as posted to an audience; {@code NO_CHANGE} is a valid update and resets the audience's clock. Never
 * changed once posted.
 */
@Entity
@Table(name = "stakeholder_update")
public class StakeholderUpdate extends PanacheEntityBase {

    public static final String UPDATE = "UPDATE";
    public static final String NO_CHANGE = "NO_CHANGE";

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    /** {@link Audience#key()}. */
    public String audience;

    /** {@link #UPDATE} or {@link #NO_CHANGE}. */
    public String kind;

    /** As sent: scrubbed by {@link PublicRedactor} for external audiences. */
    public String body;

    /** The {@link ImpactFigures} the update was written against (JSON), so the next draft can state the trend. */
    @Column(name = "figures_json")
    public String figuresJson;

    @Column(name = "next_decision")
    public String nextDecision;

    @Column(name = "next_decision_at")
    public Instant nextDecisionAt;

    /** When the audience's update was due as this one was posted (null: no clock was running). */
    @Column(name = "was_due_at")
    public Instant wasDueAt;

    /** The audience's next due time this update set (null: no cadence at the incident's severity). */
    @Column(name = "next_due_at")
    public Instant nextDueAt;

    @Column(name = "posted_by")
    public String postedBy;

    @Column(name = "posted_at")
    public Instant postedAt;
}
