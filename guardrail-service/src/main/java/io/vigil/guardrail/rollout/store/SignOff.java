package io.vigil.guardrail.rollout.store;

import java.time.OffsetDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A role's approval to promote past a step, recorded with the token subject that gave it. */
@Entity
@Table(name = "rollout_sign_off")
public class SignOff extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "rollout_id")
    public String rolloutId;

    @Column(name = "step_index")
    public int stepIndex;

    public String role;

    public String subject;

    public OffsetDateTime at;
}
