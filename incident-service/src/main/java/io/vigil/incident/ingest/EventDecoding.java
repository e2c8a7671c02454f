package io.vigil.incident.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.vigil.contracts.events.v1.FeatureHealthChanged;
import io.vigil.contracts.events.v1.FeatureHealthState;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.incident.Alarm;
import io.vigil.incident.incident.Components;
import io.vigil.incident.severity.Impact;

/**
 * Turns consumed events into alarms (which open or join incidents) and their impact. Pure: no database, so the
 * impact arithmetic is tested on its own.
 */
public final class EventDecoding {

    static final String GUARDRAIL = "guardrail-service";
    static final String FEATURES = "feature-service";

    private EventDecoding() {
    }

    /** Rollback verdicts and monitor alarms open or join incidents; every other verdict only goes to timelines. */
    public static boolean opens(VerdictIssued v) {
        return v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK || v.getKind() == VerdictKind.VERDICT_KIND_MONITOR_ALARM;
    }

    public static Instant timeOf(VerdictIssued v) {
        if (!v.hasEvaluatedAt()) {
            throw new IllegalArgumentException("evaluated_at is missing");
        }
        return ProtoTime.toInstant(v.getEvaluatedAt());
    }

    /** The evidence the verdict rests on: the harmful guardrails, or all of them when none is marked harmful. */
    static List<GuardrailEvidence> harmful(VerdictIssued v) {
        List<GuardrailEvidence> out = new ArrayList<>();
        for (GuardrailEvidence e : v.getEvidenceList()) {
            if (e.getJudgement() == Judgement.JUDGEMENT_HARMFUL) {
                out.add(e);
            }
        }
        return out.isEmpty() ? v.getEvidenceList() : out;
    }

    static boolean isSla(String metric) {
        String m = metric.toUpperCase(Locale.ROOT);
        return m.contains("SLA") || m.contains("LATENCY");
    }

    /**
     * Excess harmed transactions = harm bounds (a rate difference, clamped to [0, 1]; an unbounded upper bound means
     * up to all of them) x the treatment's exposure, summed over the harmful guardrails; money at stake = the lower
     * bound x the average ticket; share of checkout = the treatment's (for monitors: the cohort's) share of traffic,
     * and for a rollout whose harm is confined to cohorts, the treatment's share times the harmed cohorts' part of the
     * treatment's exposure (a 10% canary that hurts social logins, 8% of its arm, affects 0.8% of checkout, not 10%).
     */
    public static Impact impact(VerdictIssued v, double averageTicket) {
        double low = 0;
        double high = 0;
        boolean sla = false;
        for (GuardrailEvidence e : harmful(v)) {
            if (isSla(e.getMetric())) {
                sla |= e.getJudgement() == Judgement.JUDGEMENT_HARMFUL;
                continue;
            }
            double exposure = Math.max(0, e.getTreatmentExposure());
            low += clamp(e.getHarmLower()) * exposure;
            high += (Double.isFinite(e.getHarmUpper()) ? clamp(e.getHarmUpper()) : 1.0) * exposure;
        }
        double share = Double.isFinite(v.getTreatmentShare()) ? Math.max(0, Math.min(1, v.getTreatmentShare())) : 0;
        if (!v.getRolloutId().isEmpty()) {
            share *= harmedPartOfTheArm(v);
        }
        return new Impact(low, Math.max(low, high), low * averageTicket, share, sla);
    }

    /**
     * The harmed cohorts' part of the treatment arm: their largest treatment exposure over the arm's (the all-traffic
     * guardrails' exposure). 1 when an all-traffic guardrail is harmed, or when no all-traffic guardrail says how big
     * the arm is (the conservative answer).
     */
    static double harmedPartOfTheArm(VerdictIssued v) {
        long arm = 0;
        for (GuardrailEvidence e : v.getEvidenceList()) {
            if (e.getCohort().isEmpty()) {
                arm = Math.max(arm, e.getTreatmentExposure());
            }
        }
        long harmed = 0;
        for (GuardrailEvidence e : harmful(v)) {
            if (e.getCohort().isEmpty()) {
                return 1.0;
            }
            harmed = Math.max(harmed, e.getTreatmentExposure());
        }
        return arm <= 0 ? 1.0 : Math.min(1.0, (double) harmed / arm);
    }

    private static double clamp(double rate) {
        if (Double.isNaN(rate)) {
            return 0;
        }
        return Math.max(0, Math.min(1, rate));
    }

    public static Alarm alarm(String eventId, VerdictIssued v, double averageTicket) {
        Instant at = timeOf(v);
        List<GuardrailEvidence> evidence = harmful(v);
        // A rollback names the guardrail it rests on: a harmful one whose action is rollback, not an alert-only one
        // that happened to come first (the local stack's seed 001 run named STEP_UP_RATE, an alert, for a rollback
        // caused by conversion in login_method=social).
        GuardrailEvidence first = evidence.stream()
                .filter(e -> e.getJudgement() == Judgement.JUDGEMENT_HARMFUL
                        && e.getAction() == io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ROLLBACK)
                .findFirst().orElse(evidence.isEmpty() ? null : evidence.get(0));
        String metric = first == null ? "" : first.getMetric();
        String cohort = first == null ? "" : first.getCohort();
        String where = cohort.isEmpty() ? "all traffic" : cohort;
        Impact impact = impact(v, averageTicket);
        String detail = detail(v);
        if (v.getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
            if (v.getRolloutId().isBlank()) {
                throw new IllegalArgumentException("rollout_id is empty on a ROLLBACK verdict");
            }
            String title = "Rollback of " + v.getRolloutId() + (metric.isEmpty() ? "" : ": " + metric + " harmed in " + where);
            return new Alarm(eventId, GUARDRAIL, "rollout:" + v.getRolloutId(), metric, cohort, v.getRolloutId(), at,
                    title, "ROLLBACK " + v.getRolloutId() + ": " + v.getReason(), detail,
                    "alarm:rollout:" + v.getRolloutId(), impact, Components.affected(metric, cohort), 0);
        }
        String monitor = v.getMonitorId().isBlank() ? metric + "|" + cohort : v.getMonitorId();
        if (metric.isEmpty() && v.getMonitorId().isBlank()) {
            throw new IllegalArgumentException("a MONITOR_ALARM verdict needs a monitor_id or evidence");
        }
        String key = metric.isEmpty() ? "monitor:" + monitor : metric + "|" + cohort;
        String title = (metric.isEmpty() ? "Monitor " + monitor : metric) + " alarm in " + where;
        return new Alarm(eventId, GUARDRAIL, key, metric, cohort, "", at, title,
                "MONITOR_ALARM " + monitor + ": " + v.getReason(), detail, "alarm:monitor:" + monitor, impact,
                Components.affected(metric, cohort), 0);
    }

    static String detail(VerdictIssued v) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "verdict %s, treatment share %.4f", v.getVerdictId(), v.getTreatmentShare()));
        for (GuardrailEvidence e : v.getEvidenceList()) {
            b.append(String.format(Locale.ROOT, "; %s %s [%s] %s: estimate %.5f, harm [%.5f, %.5f], margin %.5f, exposure %d/%d",
                    e.getGuardrail(), e.getMetric(), e.getCohort(), e.getJudgement().name().replace("JUDGEMENT_", ""),
                    e.getEstimate(), e.getHarmLower(), e.getHarmUpper(), e.getMargin(), e.getTreatmentExposure(),
                    e.getControlExposure()));
        }
        return b.toString();
    }

    public static String segmentOf(FeatureHealthChanged f) {
        return f.getSegment().getAttribute().isEmpty() ? "" : f.getSegment().getAttribute() + "=" + f.getSegment().getValue();
    }

    public static Instant timeOf(FeatureHealthChanged f) {
        if (f.hasDetectedAt()) {
            return ProtoTime.toInstant(f.getDetectedAt());
        }
        if (f.hasWindowEnd()) {
            return ProtoTime.toInstant(f.getWindowEnd());
        }
        throw new IllegalArgumentException("detected_at and window_end are missing");
    }

    public static String featureKey(FeatureHealthChanged f) {
        return "feature:" + f.getFeature() + "|" + segmentOf(f);
    }

    /** A feature-health alarm: its own grouping key (feature and segment); no harm measure of its own, so SEV4. */
    public static Alarm alarm(String eventId, FeatureHealthChanged f) {
        if (f.getFeature().isBlank()) {
            throw new IllegalArgumentException("feature is empty");
        }
        if (f.getState() != FeatureHealthState.FEATURE_HEALTH_STATE_ALARM) {
            throw new IllegalArgumentException("not an alarm: " + f.getState());
        }
        String segment = segmentOf(f);
        String metric = f.getMetric().name().replace("FEATURE_HEALTH_METRIC_", "");
        String where = segment.isEmpty() ? "all traffic" : segment;
        return new Alarm(eventId, FEATURES, featureKey(f), "", segment, "", timeOf(f),
                "Feature " + f.getFeature() + ": " + metric + " alarm in " + where,
                "Feature health ALARM " + f.getFeature() + " " + metric + " in " + where + ": " + f.getDetail(),
                String.format(Locale.ROOT, "value %.4f vs alarm level %.4f (reference %.4f), %d in window, contract %s",
                        f.getValue(), f.getAlarmLevel(), f.getReferenceValue(), f.getWindowCount(),
                        f.getFeatureSetVersion()),
                "alarm:feature:" + f.getFeature() + "|" + segment + "|" + metric, Impact.NONE,
                Components.affected("", segment), 0);
    }
}
