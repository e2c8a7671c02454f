package io.vigil.incident.incident;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import io.vigil.incident.config.IncidentConfig;
import io.vigil.incident.severity.Impact;
import io.vigil.incident.severity.SeverityAssessor;
import io.vigil.incident.timeline.DeployMarker;
import io.vigil.incident.timeline.Timeline;
import io.vigil.incident.timeline.TimelineEntry;
import io.vigil.incident.timeline.TimelineKind;

/**
 * Opens incidents and moves them. One cause opens one incident: an alarm joins an open incident that shares its
 * grouping key, its metric and cohort, or its rollout, when that incident's events are within the grouping window of
 * the alarm's event time; otherwise it opens a new one. Callers run these inside a transaction.
 */
@ApplicationScoped
public class IncidentEngine {

    static final List<IncidentState> OPEN = List.of(IncidentState.DETECTED, IncidentState.INVESTIGATING,
            IncidentState.MITIGATING, IncidentState.MONITORING);

    private final IncidentConfig config;
    private final Timeline timeline;
    private final SeverityAssessor severity;
    private final AuditTrail audit;
    private final Clock clock;

    IncidentEngine(IncidentConfig config, Timeline timeline, SeverityAssessor severity, AuditTrail audit, Clock clock) {
        this.config = config;
        this.timeline = timeline;
        this.severity = severity;
        this.audit = audit;
        this.clock = clock;
    }

    /** The open incident the alarm belongs to, or null. */
    public Uni<Incident> groupFor(String groupingKey, String metric, String cohort, String rolloutId, Instant at) {
        StringBuilder q = new StringBuilder("state in :open and lastEventAt >= :from and openedAt <= :to and (groupingKey = :key");
        Parameters p = Parameters.with("open", OPEN).and("from", at.minus(config.grouping().window()))
                .and("to", at.plus(config.grouping().window())).and("key", groupingKey);
        if (!metric.isEmpty()) {
            q.append(" or (metric = :metric and cohort = :cohort)");
            p = p.and("metric", metric).and("cohort", cohort);
        }
        if (!rolloutId.isEmpty()) {
            q.append(" or rolloutId = :rollout");
            p = p.and("rollout", rolloutId);
        }
        q.append(") order by openedAt, id");
        return Incident.<Incident>find(q.toString(), p).firstResult();
    }

    /** Applies an alarm: joins or opens its incident, folds it into the timeline, re-assesses impact and severity. */
    public Uni<Incident> onAlarm(Alarm alarm) {
        return groupFor(alarm.groupingKey(), alarm.metric(), alarm.cohort(), alarm.rolloutId(), alarm.occurredAt())
                .flatMap(found -> found != null ? join(found, alarm) : open(alarm));
    }

    private Uni<Incident> open(Alarm alarm) {
        Incident i = newIncident(alarm.title(), alarm.groupingKey(), alarm.occurredAt(), alarm.source());
        i.metric = alarm.metric();
        i.cohort = alarm.cohort();
        i.rolloutId = alarm.rolloutId();
        i.components = new ArrayList<>(alarm.components());
        i.severity = severity.initial(alarm.impact());
        i.computedSeverity = i.severity;
        defaultCriteria(i, alarm.baselineRate());
        List<TimelineEntry> alarms = new ArrayList<>();
        return i.persist()
                .flatMap(x -> audit.record(i.id, alarm.source(), "open", "opened at " + i.severity + " by " + alarm.summary()))
                .flatMap(x -> timeline.recordAlarm(i.id, alarms, alarm.foldKey(), alarm.occurredAt(), alarm.summary(),
                        alarm.detail(), alarm.source(), alarm.eventId(), alarm.impact()))
                .flatMap(x -> {
                    Impact impact = Timeline.impactOf(alarms);
                    return severity.reassess(i, impact, alarm.occurredAt(), alarm.summary(), alarm.eventId());
                })
                .flatMap(x -> timeline.add(i.id, TimelineKind.SEVERITY, alarm.occurredAt(), "Opened at " + i.severity,
                        severity.table().explain(alarm.impact()), alarm.source(), alarm.eventId()))
                .flatMap(x -> copyDeploys(i))
                .replaceWith(i);
    }

    private Uni<Incident> join(Incident i, Alarm alarm) {
        touch(i, alarm.occurredAt());
        Set<String> components = new LinkedHashSet<>(i.components);
        components.addAll(alarm.components());
        i.components = new ArrayList<>(components);
        if (i.criteriaThreshold == null && alarm.baselineRate() > 0 && alarm.metric().equals(i.criteriaMetric)) {
            i.criteriaThreshold = threshold(alarm.baselineRate());
        }
        return TimelineEntry.<TimelineEntry>list("incidentId = ?1 and kind = ?2", i.id, TimelineKind.ALARM)
                .flatMap(existing -> {
                    List<TimelineEntry> alarms = new ArrayList<>(existing);
                    return timeline.recordAlarm(i.id, alarms, alarm.foldKey(), alarm.occurredAt(), alarm.summary(),
                            alarm.detail(), alarm.source(), alarm.eventId(), alarm.impact())
                            .flatMap(x -> severity.reassess(i, Timeline.impactOf(alarms), alarm.occurredAt(),
                                    alarm.summary(), alarm.eventId()));
                })
                .replaceWith(i);
    }

    /** Opens an incident by hand (REST/CLI). */
    public Uni<Incident> openByHand(String title, Severity level, List<String> components, String metric, String cohort,
            String rolloutId, Instant at, String actor) {
        String key = !metric.isEmpty() ? metric + "|" + cohort
                : !rolloutId.isEmpty() ? "rollout:" + rolloutId : "manual:" + UUID.randomUUID();
        Incident i = newIncident(title, key, at, actor);
        i.metric = metric;
        i.cohort = cohort;
        i.rolloutId = rolloutId;
        i.components = new ArrayList<>(components);
        i.severity = level;
        i.computedSeverity = level;
        defaultCriteria(i, 0);
        return i.persist()
                .flatMap(x -> audit.record(i.id, actor, "open", "opened by hand at " + level))
                .flatMap(x -> timeline.add(i.id, TimelineKind.STATE, at, "Opened by hand at " + level + ": " + title, "",
                        actor, null))
                .flatMap(x -> copyDeploys(i))
                .replaceWith(i);
    }

    public Uni<Incident> get(UUID id) {
        return Incident.<Incident>findById(id).onItem().ifNull().failWith(() -> IncidentProblem.notFound(id));
    }

    /** Moves an incident; 409 when its state does not allow the move. */
    public Uni<Incident> transition(UUID id, IncidentState target, String reason, String actor) {
        return get(id).flatMap(i -> {
            if (!i.state.canMoveTo(target)) {
                return Uni.createFrom().failure(IncidentProblem.conflict("state",
                        "an incident in " + i.state + " cannot move to " + target + " (allowed: " + i.state.next() + ")"));
            }
            Instant now = clock.instant();
            IncidentState from = i.state;
            i.state = target;
            if (target == IncidentState.RESOLVED) {
                i.resolvedAt = now;
            } else if (target == IncidentState.CLOSED) {
                i.closedAt = now;
            } else if (from == IncidentState.RESOLVED) {
                // reopened: the harm is back
                i.resolvedAt = null;
                i.resolutionProposedAt = null;
                i.resolutionEvidence = null;
            }
            String summary = "State " + from + " -> " + target;
            return timeline.add(i.id, TimelineKind.STATE, now, summary, reason, actor, null)
                    .flatMap(x -> audit.record(i.id, actor, "transition", summary + ": " + reason))
                    .replaceWith(i);
        });
    }

    /** A commander sets the severity by judgement; it holds until the measured impact is worse. */
    public Uni<Incident> overrideSeverity(UUID id, Severity level, String reason, String actor) {
        return get(id).flatMap(i -> {
            if (!i.isOpen()) {
                return Uni.createFrom().failure(IncidentProblem.conflict("severity",
                        "the severity of a " + i.state + " incident is final"));
            }
            Severity before = i.severity;
            i.severity = level;
            i.severityOverriddenBy = actor;
            i.severityOverrideReason = reason;
            i.lowerSeverity = null;
            i.lowerSeveritySince = null;
            Instant now = clock.instant();
            String summary = "Severity " + before + " -> " + level + " (override by " + actor + ")";
            return timeline.add(i.id, TimelineKind.SEVERITY, now, summary, "reason: " + reason + "; the impact table gives "
                    + severity.table().explain(impactOf(i)), actor, null)
                    .flatMap(x -> audit.record(i.id, actor, "severity-override", summary + ": " + reason))
                    .replaceWith(i);
        });
    }

    /** Adds a human note at the event time the author gives (default now). */
    public Uni<TimelineEntry> note(UUID id, String text, Instant at, String actor) {
        return get(id).flatMap(i -> timeline.add(i.id, TimelineKind.NOTE, at == null ? clock.instant() : at, text, "",
                actor, null).call(e -> audit.record(i.id, actor, "note", text)));
    }

    static Impact impactOf(Incident i) {
        return new Impact(i.excessHarmedLow, i.excessHarmedHigh, i.moneyAtStake, i.checkoutShare, i.slaBreached);
    }

    /** An event concerning the incident arrived: late ones move its opening back, new ones extend its window. */
    public static void touch(Incident i, Instant at) {
        if (at.isBefore(i.openedAt)) {
            i.openedAt = at;
        }
        if (at.isAfter(i.lastEventAt)) {
            i.lastEventAt = at;
        }
    }

    private Incident newIncident(String title, String key, Instant at, String openedBy) {
        Incident i = new Incident();
        i.id = UUID.randomUUID();
        i.title = title;
        i.state = IncidentState.DETECTED;
        i.groupingKey = key;
        i.openedAt = at;
        i.lastEventAt = at;
        i.openedBy = openedBy;
        i.createdAt = clock.instant();
        return i;
    }

    private void defaultCriteria(Incident i, double baselineRate) {
        if (i.metric.isEmpty()) {
            return;
        }
        IncidentConfig.AllClear c = config.allClear();
        i.criteriaMetric = i.metric;
        i.criteriaCohort = i.cohort;
        i.criteriaThreshold = baselineRate > 0 ? threshold(baselineRate) : null;
        i.criteriaWindows = c.windows();
        i.criteriaWindowMinutes = c.windowMinutes();
        i.criteriaVolumeTolerance = c.volumeTolerance();
        i.criteriaQueueShare = c.queueShare();
    }

    /** Baseline x the allowed relative excess, rounded to a millionth so 2.0% x 1.15 is exactly 2.3%. */
    public double threshold(double baselineRate) {
        return Math.round(baselineRate * config.allClear().thresholdOverBaseline() * 1_000_000d) / 1_000_000d;
    }

    /** Deploy markers shortly before the incident opened belong on its timeline. */
    private Uni<Void> copyDeploys(Incident i) {
        return DeployMarker.<DeployMarker>list("startedAt >= ?1 and startedAt <= ?2",
                i.openedAt.minus(config.grouping().deployLookback()), i.openedAt)
                .flatMap(markers -> {
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (DeployMarker m : markers) {
                        chain = chain.flatMap(x -> timeline.add(i.id, TimelineKind.DEPLOY, m.startedAt,
                                deploySummary(m), "instance " + m.instanceId, m.service, m.eventId).replaceWithVoid());
                    }
                    return chain;
                });
    }

    public static String deploySummary(DeployMarker m) {
        return m.service + " " + m.version + " started";
    }
}
