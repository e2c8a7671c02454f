package io.vigil.incident.timeline;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One line of an incident's timeline. {@code occurredAt} is event time; reads order by it, so an event that arrives
 * late still lands where it happened. Repeated alarms of one series share a {@code foldKey} and fold into one entry.
 */
@Entity
@Table(name = "timeline_entry")
public class TimelineEntry extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "incident_id")
    public UUID incidentId;

    @Column(name = "occurred_at")
    public Instant occurredAt;

    @Enumerated(EnumType.STRING)
    public TimelineKind kind;

    public String summary;

    public String detail = "";

    @Column(name = "fold_key")
    public String foldKey;

    @Column(name = "first_seen")
    public Instant firstSeen;

    @Column(name = "last_seen")
    public Instant lastSeen;

    public int occurrences = 1;

    @Column(name = "source_event_id")
    public String sourceEventId;

    @Column(name = "excess_harmed_low")
    public Double excessHarmedLow;

    @Column(name = "excess_harmed_high")
    public Double excessHarmedHigh;

    @Column(name = "money_at_stake")
    public Double moneyAtStake;

    @Column(name = "checkout_share")
    public Double checkoutShare;

    @Column(name = "sla_breached")
    public Boolean slaBreached;

    /** Token subject for notes and commands; the emitting service for entries from events. */
    public String author;

    @Column(name = "recorded_at")
    public Instant recordedAt;

    @Version
    public long version;
}
