package io.vigil.guardrail.rollout.store;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.vigil.guardrail.rollout.state.RolloutState;

/** A rollout: its target, where it is in its plan, and the line-up to restore. Changed only under its row lock. */
@Entity
@Table(name = "rollout")
public class Rollout extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "model_version")
    public String modelVersion;

    @Column(name = "policy_version")
    public String policyVersion;

    @Enumerated(EnumType.STRING)
    public RolloutState state;

    /** While ROLLING_BACK: ROLLED_BACK or ABORTED once the restore is applied. */
    @Enumerated(EnumType.STRING)
    public RolloutState ending;

    @Column(name = "step_index")
    public int stepIndex;

    public double alpha;

    /** The validated plan as JSON. */
    public String plan;

    /** The line-up before the rollout (JSON of {@link io.vigil.guardrail.rollout.scoring.Lineup}). */
    @Column(name = "lineup_before")
    public String lineupBefore;

    @Column(name = "last_verdict_id")
    public String lastVerdictId;

    @Column(name = "last_verdict_kind")
    public String lastVerdictKind;

    @Column(name = "created_at")
    public OffsetDateTime createdAt;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "updated_at")
    public OffsetDateTime updatedAt;

    @Version
    public long version;
}
