package io.vigil.incident.communication;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One incident's next-update-due clock for one audience. Kept in PostgreSQL so every replica agrees on it; see
 * {@link UpdateClocks} for how replicas write it without stepping on each other.
 */
@Entity
@Table(name = "stakeholder_update_clock")
@IdClass(UpdateClock.Key.class)
public class UpdateClock extends PanacheEntityBase {

    @Id
    @Column(name = "incident_id")
    public UUID incidentId;

    /** {@link Audience#key()}. */
    @Id
    public String audience;

    /** The severity the cadence was taken at; a change re-plans the clock. */
    public String severity;

    @Column(name = "cadence_minutes")
    public int cadenceMinutes;

    @Column(name = "due_at")
    public Instant dueAt;

    /** The audience's latest update (null: none yet, the clock runs from the opening). */
    @Column(name = "last_update_at")
    public Instant lastUpdateAt;

    /** The due time a reminder was raised for: equal to {@link #dueAt} once the overdue sweep claimed it. */
    @Column(name = "reminded_due_at")
    public Instant remindedDueAt;

    /** The primary key: incident and audience. */
    public static class Key implements Serializable {

        public UUID incidentId;
        public String audience;

        public Key() {
        }

        public Key(UUID incidentId, String audience) {
            this.incidentId = incidentId;
            this.audience = audience;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(incidentId, k.incidentId) && Objects.equals(audience, k.audience);
        }

        @Override
        public int hashCode() {
            return Objects.hash(incidentId, audience);
        }
    }
}
