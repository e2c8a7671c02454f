package io.vigil.incident.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.CohortMetricWindow;
import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.FeatureHealthState;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Lineup;
import io.vigil.contracts.events.v1.RolloutState;
import io.vigil.contracts.events.v1.RolloutStateChanged;
import io.vigil.contracts.events.v1.ServiceStarted;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.CloudEventHeaders;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.allclear.AllClearService;
import io.vigil.incident.allclear.CohortAlarm;
import io.vigil.incident.config.IncidentConfig;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentEngine;
import io.vigil.incident.incident.IncidentState;
import io.vigil.incident.team.MitigationAction;
import io.vigil.incident.team.MitigationStatus;
import io.vigil.incident.timeline.DeployMarker;
import io.vigil.incident.timeline.Timeline;
import io.vigil.incident.timeline.TimelineFact;
import io.vigil.incident.timeline.TimelineKind;

/**
 * Applies consumed events, each in one transaction with its processed_event claim: a redelivered event changes nothing.
 */
@ApplicationScoped
public class IncidentIngest {

    static final List<IncidentState> OPEN = List.of(IncidentState.DETECTED, IncidentState.INVESTIGATING,
            IncidentState.MITIGATING, IncidentState.MONITORING);

    private final ProcessedEvents processed;
    private final IncidentEngine engine;
    private final Timeline timeline;
    private final AllClearService allClear;
    private final IncidentConfig config;

    IncidentIngest(ProcessedEvents processed, IncidentEngine engine, Timeline timeline, AllClearService allClear,
            IncidentConfig config) {
        this.processed = processed;
        this.engine = engine;
        this.timeline = timeline;
        this.allClear = allClear;
        this.config = config;
    }

    /** Runs {@code work} in a transaction under the ingest lock, unless the event was applied before. */
    Uni<Boolean> once(CloudEventHeaders event, Supplier<Uni<Void>> work) {
        return Panache.withTransaction(() -> processed.lock()
                .flatMap(x -> processed.claim(event))
                .flatMap(fresh -> fresh ? work.get().replaceWith(true) : Uni.createFrom().item(false)));
    }

    public Uni<Boolean> verdict(CloudEventHeaders event, VerdictIssued v) {
        if (EventDecoding.opens(v)) {
            var alarm = EventDecoding.alarm(event.id(), v, config.impact().averageTicket());
            return once(event, () -> engine.onAlarm(alarm)
                    .flatMap(i -> v.getKind() == VerdictKind.VERDICT_KIND_MONITOR_ALARM
                            ? alarmState(alarm.metric(), alarm.cohort(), true, alarm.occurredAt())
                            : Uni.createFrom().voidItem()));
        }
        Instant at = EventDecoding.timeOf(v);
        String kind = v.getKind().name().replace("VERDICT_KIND_", "");
        GuardrailEvidence first = v.getEvidenceCount() == 0 ? null : v.getEvidence(0);
        String metric = first == null ? "" : first.getMetric();
        String cohort = first == null ? "" : first.getCohort();
        String subject = v.getRolloutId().isBlank() ? v.getMonitorId() : v.getRolloutId();
        TimelineFact fact = new TimelineFact(event.id(), EventDecoding.GUARDRAIL, TimelineKind.VERDICT, at,
                kind + " " + subject + ": " + v.getReason(), EventDecoding.detail(v), "verdict:" + kind + ":" + subject);
        return once(event, () -> {
            Uni<List<Incident>> targets;
            if (!v.getRolloutId().isBlank()) {
                targets = Incident.list("state in ?1 and rolloutId = ?2", OPEN, v.getRolloutId());
            } else if (!metric.isEmpty()) {
                targets = Incident.list("state in ?1 and metric = ?2 and cohort = ?3", OPEN, metric, cohort);
            } else {
                targets = Incident.list("state in ?1 and groupingKey = ?2", OPEN, "monitor:" + v.getMonitorId());
            }
            Uni<Void> recovered = v.getKind() == VerdictKind.VERDICT_KIND_MONITOR_RECOVERED && !metric.isEmpty()
                    ? alarmState(metric, cohort, false, at) : Uni.createFrom().voidItem();
            return recovered.flatMap(x -> targets).flatMap(list -> attach(list, fact));
        });
    }

    public Uni<Boolean> featureHealth(CloudEventHeaders event, FeatureHealthChanged f) {
        if (f.getState() == FeatureHealthState.FEATURE_HEALTH_STATE_ALARM) {
            var alarm = EventDecoding.alarm(event.id(), f);
            return once(event, () -> engine.onAlarm(alarm).replaceWithVoid());
        }
        if (f.getState() != FeatureHealthState.FEATURE_HEALTH_STATE_RECOVERED || f.getFeature().isBlank()) {
            throw new IllegalArgumentException("state " + f.getState() + " for feature '" + f.getFeature() + "'");
        }
        String segment = EventDecoding.segmentOf(f);
        String metric = f.getMetric().name().replace("FEATURE_HEALTH_METRIC_", "");
        TimelineFact fact = new TimelineFact(event.id(), EventDecoding.FEATURES, TimelineKind.FEATURE_HEALTH,
                EventDecoding.timeOf(f), "Feature health RECOVERED " + f.getFeature() + " " + metric + " in "
                        + (segment.isEmpty() ? "all traffic" : segment) + ": " + f.getDetail(),
                "", "feature-recovered:" + f.getFeature() + "|" + segment + "|" + metric);
        return once(event, () -> Incident.<Incident>list("state in ?1 and groupingKey = ?2", OPEN,
                EventDecoding.featureKey(f)).flatMap(list -> attach(list, fact)));
    }

    public Uni<Boolean> rollout(CloudEventHeaders event, RolloutStateChanged r) {
        if (r.getRolloutId().isBlank()) {
            throw new IllegalArgumentException("rollout_id is empty");
        }
        if (!r.hasChangedAt()) {
            throw new IllegalArgumentException("changed_at is missing");
        }
        Instant at = ProtoTime.toInstant(r.getChangedAt());
        boolean activation = !r.getLineupAfter().equals(Lineup.getDefaultInstance())
                && !r.getLineupAfter().equals(r.getLineupBefore());
        String state = r.getState().name().replace("ROLLOUT_STATE_", "");
        String target = (r.getTarget().getModelVersion().isEmpty() ? "" : "model " + r.getTarget().getModelVersion())
                + (r.getTarget().getPolicyVersion().isEmpty() ? "" : " policy " + r.getTarget().getPolicyVersion());
        String summary = String.format(java.util.Locale.ROOT, "Rollout %s %s -> %s (%s), step %d at share %.4f by %s: %s",
                r.getRolloutId(), r.getPreviousState().name().replace("ROLLOUT_STATE_", ""), state, target.strip(),
                r.getStepIndex(), r.getTreatmentShare(), r.getActor(), r.getReason());
        String detail = activation ? "lineup " + lineup(r.getLineupBefore()) + " -> " + lineup(r.getLineupAfter()) : "";
        TimelineFact fact = new TimelineFact(event.id(), EventDecoding.GUARDRAIL, TimelineKind.ROLLOUT, at, summary, detail,
                null);
        MitigationStatus status = switch (r.getState()) {
            case ROLLOUT_STATE_ROLLED_BACK, ROLLOUT_STATE_COMPLETED -> MitigationStatus.DONE;
            case ROLLOUT_STATE_ABORTED -> MitigationStatus.ABANDONED;
            case ROLLOUT_STATE_PENDING -> null;
            default -> MitigationStatus.IN_PROGRESS;
        };
        return once(event, () -> MitigationAction.<MitigationAction>list("rolloutId", r.getRolloutId())
                .flatMap(mitigations -> {
                    List<UUID> linked = new ArrayList<>();
                    for (MitigationAction m : mitigations) {
                        linked.add(m.incidentId);
                        if (status != null && m.status != status && m.status != MitigationStatus.ABANDONED) {
                            m.status = status;
                            m.updatedAt = at;
                        }
                    }
                    // model and policy activations concern every open incident (versions involved); other steps
                    // only the incidents about this rollout or mitigated by it
                    Uni<List<Incident>> targets = activation
                            ? Incident.list("state in ?1", OPEN)
                            : linked.isEmpty()
                                    ? Incident.list("state in ?1 and rolloutId = ?2", OPEN, r.getRolloutId())
                                    : Incident.list("state in ?1 and (rolloutId = ?2 or id in ?3)", OPEN,
                                            r.getRolloutId(), linked);
                    return targets.flatMap(list -> attach(list, fact));
                }));
    }

    public Uni<Boolean> serviceStarted(CloudEventHeaders event, ServiceStarted s) {
        if (s.getService().isBlank() || !s.hasStartedAt()) {
            throw new IllegalArgumentException("service and started_at are required");
        }
        DeployMarker m = new DeployMarker();
        m.eventId = event.id();
        m.service = s.getService();
        m.version = s.getVersion();
        m.instanceId = s.getInstanceId();
        m.startedAt = ProtoTime.toInstant(s.getStartedAt());
        TimelineFact fact = new TimelineFact(event.id(), s.getService(), TimelineKind.DEPLOY, m.startedAt,
                IncidentEngine.deploySummary(m), "instance " + m.instanceId, null);
        return once(event, () -> m.persist()
                .flatMap(x -> Incident.<Incident>list("state in ?1 and openedAt <= ?2", OPEN,
                        m.startedAt.plus(config.grouping().deployLookback())))
                .flatMap(list -> attach(list, fact)));
    }

    public Uni<Boolean> cohortWindow(CloudEventHeaders event, CohortMetricWindow w) {
        if (w.getMetric().isBlank() || !w.hasWindowStart() || !w.hasWindowEnd()) {
            throw new IllegalArgumentException("metric, window_start and window_end are required");
        }
        if (w.getNumerator() < 0 || w.getDenominator() < 0 || w.getDecisions() < 0) {
            throw new IllegalArgumentException("negative counts");
        }
        return once(event, () -> allClear.onWindow(w));
    }

    private Uni<Void> attach(List<Incident> incidents, TimelineFact fact) {
        Map<UUID, Incident> unique = new LinkedHashMap<>();
        incidents.forEach(i -> unique.putIfAbsent(i.id, i));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Incident i : unique.values()) {
            chain = chain.flatMap(x -> timeline.record(i.id, fact).replaceWithVoid());
        }
        return chain;
    }

    private Uni<Void> alarmState(String metric, String cohort, boolean active, Instant at) {
        String id = CohortAlarm.idOf("monitor", metric, cohort);
        return CohortAlarm.<CohortAlarm>findById(id).flatMap(a -> {
            if (a == null) {
                CohortAlarm n = new CohortAlarm();
                n.id = id;
                n.metric = metric;
                n.cohort = cohort;
                n.source = "monitor";
                n.active = active;
                n.changedAt = at;
                return n.persist().replaceWithVoid();
            }
            if (!at.isBefore(a.changedAt)) {
                a.active = active;
                a.changedAt = at;
            }
            return Uni.createFrom().voidItem();
        });
    }

    private static String lineup(Lineup l) {
        return String.format(java.util.Locale.ROOT, "{champion %s, challenger %s at %.4f, shadow %s, policy %s}",
                l.getChampionModelVersion(), l.getChallengerModelVersion(), l.getChallengerShare(),
                l.getShadowModelVersion(), l.getPolicyVersion());
    }
}
