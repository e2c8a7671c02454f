package io.vigil.guardrail.rollout.store;

import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One step of a rollout's ramp, and when it went live (event time). */
@Entity
@Table(name = "rollout_step")
@IdClass(RolloutStep.Key.class)
public class RolloutStep extends PanacheEntityBase {

    public static class Key implements Serializable {
        public String rolloutId;
        public int stepIndex;

        public Key() {
        }

        public Key(String rolloutId, int stepIndex) {
            this.rolloutId = rolloutId;
            this.stepIndex = stepIndex;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.rolloutId.equals(rolloutId) && k.stepIndex == stepIndex;
        }

        @Override
        public int hashCode() {
            return Objects.hash(rolloutId, stepIndex);
        }
    }

    @Id
    @Column(name = "rollout_id")
    public String rolloutId;

    @Id
    @Column(name = "step_index")
    public int stepIndex;

    public double share;

    @Column(name = "minimum_duration_ms")
    public long minimumDurationMs;

    @Column(name = "minimum_exposure")
    public long minimumExposure;

    /** Comma-separated roles. */
    @Column(name = "sign_off")
    public String signOff;

    @Column(name = "started_at")
    public OffsetDateTime startedAt;

    public List<String> signOffRoles() {
        return signOff == null || signOff.isBlank() ? List.of() : Arrays.asList(signOff.split(","));
    }
}
