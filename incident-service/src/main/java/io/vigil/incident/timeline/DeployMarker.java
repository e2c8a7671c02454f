package io.vigil.incident.timeline;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A service instance start (from vigil.service-lifecycle.v1): a deploy marker for timelines of incidents near it. */
@Entity
@Table(name = "deploy_marker")
public class DeployMarker extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    public String service;

    public String version;

    @Column(name = "instance_id")
    public String instanceId;

    @Column(name = "started_at")
    public Instant startedAt;
}
