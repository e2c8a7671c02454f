package io.vigil.incident.allclear;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.CohortMetricWindow;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.config.IncidentConfig;
import io.vigil.incident.incident.AuditTrail;
import io.vigil.incident.incident.Incident;
import io.vigil.incident.incident.IncidentEngine;
import io.vigil.incident.incident.IncidentState;
import io.vigil.incident.timeline.Timeline;
import io.vigil.incident.timeline.TimelineKind;

/**
 * Keeps the cohort windows and checks every open incident's all-clear criteria when a window it depends on closes.
 * When they are met the service proposes RESOLVED (a timeline entry and the incident's resolution fields); a commander
 * confirms. A proposal whose criteria stop holding is withdrawn the same way.
 */
@ApplicationScoped
public class AllClearService {

    static final List<IncidentState> OPEN = List.of(IncidentState.DETECTED, IncidentState.INVESTIGATING,
            IncidentState.MITIGATING, IncidentState.MONITORING);

    private final IncidentConfig config;
    private final IncidentEngine engine;
    private final Timeline timeline;
    private final AuditTrail audit;

    AllClearService(IncidentConfig config, IncidentEngine engine, Timeline timeline, AuditTrail audit) {
        this.config = config;
        this.engine = engine;
        this.timeline = timeline;
        this.audit = audit;
    }

    public Uni<Void> onWindow(CohortMetricWindow w) {
        Instant start = ProtoTime.toInstant(w.getWindowStart());
        String id = CohortWindow.idOf(w.getMetric(), w.getCohort(), start);
        return CohortWindow.<CohortWindow>findById(id).flatMap(stored -> {
            if (stored != null && stored.revision > w.getRevision()) {
                return Uni.createFrom().voidItem(); // an older revision arriving late
            }
            CohortWindow cw = stored != null ? stored : new CohortWindow();
            cw.id = id;
            cw.metric = w.getMetric();
            cw.cohort = w.getCohort();
            cw.windowStart = start;
            cw.windowEnd = ProtoTime.toInstant(w.getWindowEnd());
            cw.numerator = w.getNumerator();
            cw.denominator = w.getDenominator();
            cw.decisions = w.getDecisions();
            cw.baselineRate = w.getBaselineRate();
            cw.revision = w.getRevision();
            Uni<Void> saved = stored != null ? Uni.createFrom().voidItem() : cw.persist().replaceWithVoid();
            Uni<List<Incident>> affected = w.getMetric().equals(config.allClear().queueMetric())
                    ? Incident.list("state in ?1 and criteriaMetric is not null", OPEN)
                    : Incident.list("state in ?1 and criteriaMetric = ?2 and criteriaCohort = ?3", OPEN, w.getMetric(),
                            w.getCohort());
            return saved.flatMap(x -> io.quarkus.hibernate.reactive.panache.Panache.getSession().flatMap(s -> s.flush()))
                    .flatMap(x -> affected)
                    .flatMap(list -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Incident i : list) {
                            chain = chain.flatMap(y -> evaluate(i));
                        }
                        return chain;
                    });
        });
    }

    /** Checks one incident's criteria now, proposing or withdrawing the all-clear. */
    public Uni<Void> evaluate(Incident i) {
        if (i.criteriaMetric == null) {
            return Uni.createFrom().voidItem();
        }
        return check(i).flatMap(r -> decide(i, r));
    }

    /**
     * The criteria judged against what is stored now (fills in the threshold and the pre-incident volume once they can
     * be known); null when the incident has no metric to judge by.
     */
    public Uni<AllClearCheck.Result> check(Incident i) {
        if (i.criteriaMetric == null) {
            return Uni.createFrom().nullItem();
        }
        return CohortWindow.<CohortWindow>list("metric = ?1 and cohort = ?2", Sort.by("windowStart"), i.criteriaMetric,
                i.criteriaCohort)
                .flatMap(windows -> CohortWindow.<CohortWindow>list("metric = ?1 and cohort = ?2 and windowEnd > ?3",
                        config.allClear().queueMetric(), "", i.openedAt)
                        .flatMap(queue -> CohortAlarm.<CohortAlarm>list("active = true and metric = ?1", i.criteriaMetric)
                                .map(alarms -> judge(i, windows, queue, alarms))));
    }

    private AllClearCheck.Result judge(Incident i, List<CohortWindow> windows, List<CohortWindow> queue,
            List<CohortAlarm> alarms) {
        if (i.criteriaThreshold == null) {
            // derive from the cohort's baseline as guardrail-service reports it, once known
            double baseline = windows.stream().filter(w -> w.baselineRate > 0).mapToDouble(w -> w.baselineRate)
                    .findFirst().orElse(0);
            if (baseline > 0) {
                i.criteriaThreshold = engine.threshold(baseline);
            }
        }
        List<CohortWindow> before = windows.stream().filter(w -> !w.windowEnd.isAfter(i.openedAt)).toList();
        if (i.baselineVolume == null && !before.isEmpty()) {
            List<CohortWindow> recent = before.subList(Math.max(0, before.size() - config.allClear().baselineWindows()),
                    before.size());
            i.baselineVolume = recent.stream().mapToLong(w -> w.decisions).average().orElse(0);
        }
        return AllClearCheck.evaluate(criteriaOf(i), i.openedAt,
                windows.stream().map(AllClearService::window).toList(),
                queue.stream().map(AllClearService::window).toList(), alarms.stream().map(a -> a.cohort).toList(),
                i.baselineVolume);
    }

    private Uni<Void> decide(Incident i, AllClearCheck.Result r) {
        if (r.met() && i.resolutionProposedAt == null) {
            i.resolutionProposedAt = r.lastWindowEnd();
            i.resolutionEvidence = r.summary();
            String summary = "All-clear criteria met: proposing RESOLVED (a commander confirms)";
            return timeline.add(i.id, TimelineKind.ALL_CLEAR, r.lastWindowEnd(), summary, r.summary(), AuditTrail.SERVICE,
                    null).flatMap(x -> audit.record(i.id, AuditTrail.SERVICE, "all-clear-proposed", r.summary()));
        }
        if (!r.met() && i.resolutionProposedAt != null) {
            i.resolutionProposedAt = null;
            i.resolutionEvidence = null;
            Instant at = r.lastWindowEnd() != null ? r.lastWindowEnd() : i.lastEventAt;
            return timeline.add(i.id, TimelineKind.ALL_CLEAR, at, "All-clear proposal withdrawn", r.summary(),
                    AuditTrail.SERVICE, null)
                    .flatMap(x -> audit.record(i.id, AuditTrail.SERVICE, "all-clear-withdrawn", r.summary()));
        }
        return Uni.createFrom().voidItem();
    }

    public AllClearCriteria criteriaOf(Incident i) {
        IncidentConfig.AllClear d = config.allClear();
        return new AllClearCriteria(i.criteriaMetric, i.criteriaCohort == null ? "" : i.criteriaCohort,
                i.criteriaThreshold == null ? d.defaultThreshold() : i.criteriaThreshold,
                i.criteriaWindows == null ? d.windows() : i.criteriaWindows,
                i.criteriaWindowMinutes == null ? d.windowMinutes() : i.criteriaWindowMinutes,
                i.criteriaVolumeTolerance == null ? d.volumeTolerance() : i.criteriaVolumeTolerance,
                i.criteriaQueueShare == null ? d.queueShare() : i.criteriaQueueShare);
    }

    static AllClearCheck.Window window(CohortWindow w) {
        return new AllClearCheck.Window(w.windowStart, w.windowEnd, w.numerator, w.denominator, w.decisions);
    }
}
