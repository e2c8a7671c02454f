package io.vigil.guardrail.rollout.store;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One change of a rollout: who (token subject, or guardrail-service), why, and its state/step/line-up before and after. */
@Entity
@Table(name = "rollout_audit")
public class AuditEntry extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id")
    public String rolloutId;

    public OffsetDateTime at;

    public String actor;

    public String action;

    public String reason;

    @Column(name = "state_before")
    public String stateBefore;

    @Column(name = "state_after")
    public String stateAfter;

    @Column(name = "step_before")
    public Integer stepBefore;

    @Column(name = "step_after")
    public int stepAfter;

    @Column(name = "share_before")
    public Double shareBefore;

    @Column(name = "share_after")
    public double shareAfter;

    @Column(name = "lineup_before")
    public String lineupBefore;

    @Column(name = "lineup_after")
    public String lineupAfter;

    @Column(name = "verdict_id")
    public String verdictId;

    /** What else the change changed (a guardrail's capacity), before and after, as JSON; null for state changes. */
    @Column(name = "change_before")
    public String changeBefore;

    @Column(name = "change_after")
    public String changeAfter;
}
