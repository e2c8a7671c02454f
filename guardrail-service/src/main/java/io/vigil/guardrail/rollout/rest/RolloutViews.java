package io.vigil.guardrail.rollout.rest;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.google.protobuf.InvalidProtocolBufferException;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.LimitEvidence;
import io.vigil.contracts.events.v1.LimitProjection;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.guardrail.evaluation.GuardrailMetric;
import io.vigil.guardrail.rollout.chart.GuardrailChart;
import io.vigil.guardrail.rollout.plan.Limit;
import io.vigil.guardrail.rollout.plan.PlanGuardrail;
import io.vigil.guardrail.rollout.state.Locked;
import io.vigil.guardrail.rollout.state.RolloutNotFoundException;
import io.vigil.guardrail.rollout.state.RolloutState;
import io.vigil.guardrail.rollout.state.Transitions;
import io.vigil.guardrail.rollout.store.AuditEntry;
import io.vigil.guardrail.rollout.store.Rollout;
import io.vigil.guardrail.rollout.store.RolloutStep;
import io.vigil.guardrail.rollout.store.SignOff;
import io.vigil.guardrail.rollout.store.StoredVerdict;
import io.vigil.guardrail.statistics.ArmComparison;

/** The read side of rollouts, as REST shows it (snake_case JSON; infinite bounds as null). */
@ApplicationScoped
public class RolloutViews {

    public record Target(String modelVersion, String policyVersion) {
    }

    public record LastVerdict(String verdictId, String kind) {
    }

    public record Summary(String id, Target target, RolloutState state, int stepIndex, int steps, double share,
            LastVerdict lastVerdict, OffsetDateTime createdAt, String createdBy, OffsetDateTime updatedAt) {
    }

    public record Signed(String role, String subject, OffsetDateTime at) {
    }

    public record Step(int index, double share, long minimumDurationSeconds, long minimumExposure,
            List<String> signOff, List<Signed> signed, OffsetDateTime startedAt) {
    }

    /**
     * A guardrail as planned: {@code margin} (with unit) for one judged against control; {@code limit} ("1200 per 1h",
     * "0.9%"), {@code limitValue} (events per period, or a fraction) and {@code periodSeconds} (capacities) for one
     * judged against a limit of its own (margin null).
     */
    public record Guardrail(String name, String metric, String cohort, String margin, double marginInMetricUnits,
            String direction, String action, String chart, String limit, Double limitValue, Long periodSeconds) {
    }

    public record Audit(long id, OffsetDateTime at, String actor, String action, String reason, String stateBefore,
            String stateAfter, Integer stepBefore, int stepAfter, Double shareBefore, double shareAfter,
            String lineupBefore, String lineupAfter, String verdictId, String changeBefore, String changeAfter) {
    }

    public record Evidence(String guardrail, String metric, String cohort, String judgement, Double estimate,
            Double harmLower, Double harmUpper, double margin, long treatmentExposure, long controlExposure,
            double alpha, String missing, Double labelMaturity, LimitView limit) {
    }

    /** What a guardrail judged against a limit projected against it (see vigil.events.v1.LimitEvidence). */
    public record LimitView(double limit, long periodSeconds, double decisionsPerPeriod,
            List<Projection> projections, String blocksPromotion) {
    }

    public record Projection(double share, double estimate, double lower, double upper) {
    }

    public record Verdict(String verdictId, String kind, OffsetDateTime evaluatedAt, double treatmentShare,
            String reason, String outcome, List<Evidence> evidence) {
    }

    public record Detail(Summary summary, RolloutState ending, List<Step> steps, List<Guardrail> guardrails,
            List<Audit> audit, Verdict latestVerdict, String lineupBefore) {
    }

    private final Transitions transitions;

    RolloutViews(Transitions transitions) {
        this.transitions = transitions;
    }

    public Uni<List<Summary>> list() {
        return Panache.withSession(() -> Rollout.<Rollout>listAll(Sort.by("createdAt").and("id"))
                .flatMap(all -> RolloutStep.<RolloutStep>listAll(Sort.by("rolloutId").and("stepIndex"))
                        .map(steps -> {
                            List<Summary> out = new ArrayList<>();
                            for (Rollout r : all) {
                                List<RolloutStep> mine = steps.stream().filter(s -> s.rolloutId.equals(r.id))
                                        .toList();
                                out.add(summary(new Locked(r, mine, null)));
                            }
                            return out;
                        })));
    }

    public Uni<Detail> detail(String id, String baseUri) {
        return Panache.withSession(() -> transitions.read(id).flatMap(l -> SignOff
                .<SignOff>list("rolloutId", Sort.by("id"), id)
                .flatMap(signed -> AuditEntry.<AuditEntry>list("rolloutId", Sort.by("id"), id)
                        .flatMap(audit -> StoredVerdict.<StoredVerdict>find("rolloutId",
                                Sort.by("evaluatedAt").descending().and("verdictId"), id).firstResult()
                                .map(latest -> {
                                    List<Step> steps = new ArrayList<>();
                                    for (RolloutStep s : l.steps()) {
                                        steps.add(new Step(s.stepIndex, s.share, s.minimumDurationMs / 1000,
                                                s.minimumExposure, s.signOffRoles(), signed.stream()
                                                        .filter(x -> x.stepIndex == s.stepIndex)
                                                        .map(x -> new Signed(x.role, x.subject, x.at)).toList(),
                                                s.startedAt));
                                    }
                                    List<Guardrail> guardrails = new ArrayList<>();
                                    for (PlanGuardrail g : l.plan().guardrails()) {
                                        guardrails.add(new Guardrail(g.name(), g.metric().name(), g.cohort(),
                                                g.margin() == null ? null : g.margin().toString(),
                                                g.marginInMetricUnits(),
                                                g.metric().badDirection().name().toLowerCase(java.util.Locale.ROOT),
                                                g.action().name(), baseUri + "rollouts/" + id + "/guardrails/"
                                                        + g.name() + "/chart.svg",
                                                g.limit() == null ? null : g.limit().toString(),
                                                g.limit() == null ? null : g.limit().value(),
                                                g.limit() == null || !g.limit().isCapacity() ? null
                                                        : g.limit().period().toSeconds()));
                                    }
                                    List<Audit> entries = audit.stream().map(a -> new Audit(a.id, a.at, a.actor,
                                            a.action, a.reason, a.stateBefore, a.stateAfter, a.stepBefore,
                                            a.stepAfter, a.shareBefore, a.shareAfter, a.lineupBefore, a.lineupAfter,
                                            a.verdictId, a.changeBefore, a.changeAfter)).toList();
                                    return new Detail(summary(l), l.rollout().ending, steps, guardrails, entries,
                                            latest == null ? null : verdict(latest), l.rollout().lineupBefore);
                                })))));
    }

    public Uni<List<Verdict>> verdicts(String id, int limit) {
        return Panache.withSession(() -> Rollout.findById(id).flatMap(r -> {
            if (r == null) {
                throw new RolloutNotFoundException(id);
            }
            return StoredVerdict.<StoredVerdict>find("rolloutId", Sort.by("evaluatedAt").descending().and("verdictId"),
                    id).page(0, limit).list();
        })).map(list -> {
            List<Verdict> out = new ArrayList<>();
            for (int i = list.size() - 1; i >= 0; i--) {
                out.add(verdict(list.get(i)));
            }
            return out;
        });
    }

    /** The SVG chart of one guardrail over the stored verdicts; null when the rollout has no such guardrail. */
    public Uni<String> chart(String id, String name) {
        return Panache.withSession(() -> transitions.read(id).flatMap(l -> {
            PlanGuardrail g = l.plan().guardrails().stream().filter(x -> x.name().equals(name)).findFirst()
                    .orElse(null);
            if (g == null) {
                return Uni.createFrom().nullItem();
            }
            return StoredVerdict.<StoredVerdict>list("rolloutId", Sort.by("evaluatedAt").and("verdictId"), id)
                    .map(all -> render(l, g, all));
        }));
    }

    static String render(Locked l, PlanGuardrail g, List<StoredVerdict> all) {
        if (g.limit() != null) {
            return renderAgainstLimit(l, g, all);
        }
        boolean latency = g.metric().statistic() == GuardrailMetric.Statistic.QUANTILE;
        // Rates are drawn in percentage points, latency in milliseconds: the units the plan's margins are read in.
        double scale = latency ? 1 : 100;
        String unit = latency ? "ms" : "pp";
        double sign = g.metric().badDirection() == ArmComparison.Direction.HIGHER_IS_WORSE ? 1 : -1;
        List<GuardrailChart.Point> points = new ArrayList<>();
        for (StoredVerdict v : all) {
            VerdictIssued issued = parse(v);
            for (GuardrailEvidence e : issued.getEvidenceList()) {
                if (e.getGuardrail().equals(g.name())) {
                    points.add(new GuardrailChart.Point(v.evaluatedAt.toInstant(), sign * e.getEstimate() * scale,
                            e.getHarmLower() * scale, e.getHarmUpper() * scale, v.kind));
                }
            }
        }
        String title = l.rollout().id + " · " + g.name() + " (" + g.metric() + (g.cohort().isEmpty() ? ""
                : ", " + g.cohort()) + ")";
        return GuardrailChart.render(title, unit, g.margin().inMetricUnits() * scale, points);
    }

    /**
     * A guardrail judged against its own limit: the value at the current share (load per period, or the treatment's
     * projected rate in %) with its bounds, against the limit's line; verdicts before the guardrail had a limit (none)
     * are skipped.
     */
    static String renderAgainstLimit(Locked l, PlanGuardrail g, List<StoredVerdict> all) {
        boolean capacity = g.limit().isCapacity();
        double scale = capacity ? 1 : 100;
        String unit = capacity ? "/" + Limit.periodText(g.limit().period()) : "%";
        List<GuardrailChart.Point> points = new ArrayList<>();
        for (StoredVerdict v : all) {
            for (GuardrailEvidence e : parse(v).getEvidenceList()) {
                if (e.getGuardrail().equals(g.name()) && e.hasLimit() && e.getLimit().getProjectionsCount() > 0) {
                    LimitProjection p = e.getLimit().getProjections(0);
                    points.add(new GuardrailChart.Point(v.evaluatedAt.toInstant(), p.getEstimate() * scale,
                            p.getLower() * scale, p.getUpper() * scale, v.kind));
                }
            }
        }
        String title = l.rollout().id + " · " + g.name() + " (" + g.metric() + (g.cohort().isEmpty() ? ""
                : ", " + g.cohort()) + ")";
        return GuardrailChart.renderAgainstLimit(title, unit, capacity ? "capacity" : "ceiling",
                g.limit().value() * scale, capacity ? (g.metric() == GuardrailMetric.STEP_UP_BUDGET ? "step-ups"
                        : "reviews") + " at the current share" : "treatment's projected rate", points);
    }

    static Summary summary(Locked l) {
        Rollout r = l.rollout();
        double share = l.steps().isEmpty() ? 0 : l.shareIn(r.state, r.stepIndex);
        return new Summary(r.id, new Target(r.modelVersion, r.policyVersion), r.state, r.stepIndex, l.steps().size(),
                share, r.lastVerdictId == null ? null : new LastVerdict(r.lastVerdictId, r.lastVerdictKind),
                r.createdAt, r.createdBy, r.updatedAt);
    }

    static Verdict verdict(StoredVerdict v) {
        VerdictIssued issued = parse(v);
        List<Evidence> evidence = issued.getEvidenceList().stream().map(e -> new Evidence(e.getGuardrail(),
                e.getMetric(), e.getCohort(), e.getJudgement().name().replace("JUDGEMENT_", ""), finite(e.getEstimate()),
                finite(e.getHarmLower()), finite(e.getHarmUpper()), e.getMargin(), e.getTreatmentExposure(),
                e.getControlExposure(), e.getAlpha(), e.getMissing(),
                e.hasLabelMaturity() ? e.getLabelMaturity() : null, e.hasLimit() ? limit(e.getLimit()) : null))
                .toList();
        return new Verdict(v.verdictId, v.kind, v.evaluatedAt, v.treatmentShare, v.reason, v.outcome, evidence);
    }

    private static LimitView limit(LimitEvidence l) {
        return new LimitView(l.getLimit(), l.getPeriodSeconds(), l.getDecisionsPerPeriod(), l.getProjectionsList()
                .stream().map(p -> new Projection(p.getShare(), p.getEstimate(), p.getLower(), p.getUpper())).toList(),
                l.getBlocksPromotion().isEmpty() ? null : l.getBlocksPromotion());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static VerdictIssued parse(StoredVerdict v) {
        try {
            return VerdictIssued.parseFrom(v.payload);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("stored verdict " + v.verdictId + " does not parse", e);
        }
    }
}
