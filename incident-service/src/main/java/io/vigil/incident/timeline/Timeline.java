package io.vigil.incident.timeline;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.severity.Impact;

/**
 * Writes and reads incident timelines. Reads always order by event time (then by when recorded), so an event that
 * arrives late is shown where it happened; folded entries keep first seen, last seen and a count, and the latest (by
 * event time) summary and impact of their series.
 */
@ApplicationScoped
public class Timeline {

    private final Clock clock;

    Timeline(Clock clock) {
        this.clock = clock;
    }

    public Uni<List<TimelineEntry>> of(UUID incidentId) {
        return TimelineEntry.list("incidentId", Sort.by("occurredAt").and("recordedAt").and("id"), incidentId);
    }

    /** A new, unfolded entry. */
    public Uni<TimelineEntry> add(UUID incidentId, TimelineKind kind, Instant at, String summary, String detail,
            String author, String sourceEventId) {
        TimelineEntry e = newEntry(incidentId, kind, at, summary, detail, author, sourceEventId, null);
        return e.persist().replaceWith(e);
    }

    /** Records a fact: folded into the entry with the same fold key if there is one. */
    public Uni<TimelineEntry> record(UUID incidentId, TimelineFact fact) {
        if (fact.foldKey() == null) {
            return add(incidentId, fact.kind(), fact.occurredAt(), fact.summary(), fact.detail(), fact.author(),
                    fact.eventId());
        }
        return TimelineEntry.<TimelineEntry>find("incidentId = ?1 and foldKey = ?2", incidentId, fact.foldKey())
                .firstResult()
                .flatMap(existing -> {
                    if (existing == null) {
                        TimelineEntry e = newEntry(incidentId, fact.kind(), fact.occurredAt(), fact.summary(),
                                fact.detail(), fact.author(), fact.eventId(), fact.foldKey());
                        return e.persist().replaceWith(e);
                    }
                    fold(existing, fact.occurredAt(), fact.summary(), fact.detail(), fact.eventId(), null);
                    return Uni.createFrom().item(existing);
                });
    }

    /**
     * Folds one reading into an alarm series' entry (in {@code alarms}, the incident's ALARM entries, or new) and
     * returns the entry; the caller sums the series' impacts.
     */
    public Uni<TimelineEntry> recordAlarm(UUID incidentId, List<TimelineEntry> alarms, String foldKey, Instant at,
            String summary, String detail, String author, String eventId, Impact impact) {
        for (TimelineEntry existing : alarms) {
            if (foldKey.equals(existing.foldKey)) {
                fold(existing, at, summary, detail, eventId, impact);
                return Uni.createFrom().item(existing);
            }
        }
        TimelineEntry e = newEntry(incidentId, TimelineKind.ALARM, at, summary, detail, author, eventId, foldKey);
        setImpact(e, impact);
        alarms.add(e);
        return e.persist().replaceWith(e);
    }

    /** Sum of the latest impact of every alarm series. */
    public static Impact impactOf(List<TimelineEntry> alarms) {
        Impact total = Impact.NONE;
        for (TimelineEntry e : alarms) {
            if (e.excessHarmedLow != null) {
                total = total.plus(new Impact(e.excessHarmedLow, e.excessHarmedHigh, e.moneyAtStake, e.checkoutShare,
                        Boolean.TRUE.equals(e.slaBreached)));
            }
        }
        return total;
    }

    private static void fold(TimelineEntry e, Instant at, String summary, String detail, String eventId, Impact impact) {
        e.occurrences++;
        if (at.isBefore(e.firstSeen)) {
            e.firstSeen = at;
            e.occurredAt = at;
        }
        if (!at.isBefore(e.lastSeen)) {
            // the latest reading of the series speaks for it; an older one arriving late only widens the interval
            e.lastSeen = at;
            e.summary = summary;
            e.detail = detail;
            e.sourceEventId = eventId;
            if (impact != null) {
                setImpact(e, impact);
            }
        }
    }

    private static void setImpact(TimelineEntry e, Impact impact) {
        e.excessHarmedLow = impact.excessHarmedLow();
        e.excessHarmedHigh = impact.excessHarmedHigh();
        e.moneyAtStake = impact.moneyAtStake();
        e.checkoutShare = impact.checkoutShare();
        e.slaBreached = impact.slaBreached();
    }

    private TimelineEntry newEntry(UUID incidentId, TimelineKind kind, Instant at, String summary, String detail,
            String author, String sourceEventId, String foldKey) {
        TimelineEntry e = new TimelineEntry();
        e.id = UUID.randomUUID();
        e.incidentId = incidentId;
        e.kind = kind;
        e.occurredAt = at;
        e.firstSeen = at;
        e.lastSeen = at;
        e.occurrences = 1;
        e.summary = summary;
        e.detail = detail == null ? "" : detail;
        e.author = author;
        e.sourceEventId = sourceEventId;
        e.foldKey = foldKey;
        e.recordedAt = clock.instant();
        return e;
    }
}
