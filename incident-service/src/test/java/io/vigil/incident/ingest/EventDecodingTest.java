package io.vigil.incident.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.eventing.ProtoTime;
import io.vigil.incident.incident.Alarm;
import io.vigil.incident.severity.Impact;

class EventDecodingTest {

    static GuardrailEvidence evidence(String metric, Judgement j, double lo, double hi, long exposure) {
        return GuardrailEvidence.newBuilder().setGuardrail(metric.toLowerCase()).setMetric(metric)
                .setCohort("country=CA & age=18-24").setJudgement(j).setHarmLower(lo).setHarmUpper(hi)
                .setTreatmentExposure(exposure).build();
    }

    @Test
    void excessHarmedIsHarmBoundsTimesExposureOverTheHarmfulGuardrails() {
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_MONITOR_ALARM)
                .setMonitorId("m").setTreatmentShare(0.015)
                .setEvaluatedAt(ProtoTime.of(java.time.Instant.parse("2026-11-27T09:00:00Z")))
                .addEvidence(evidence("INCORRECT_APPROVAL_RATE", Judgement.JUDGEMENT_HARMFUL, 0.010, 0.012, 120_000))
                .addEvidence(evidence("CONVERSION", Judgement.JUDGEMENT_INCONCLUSIVE, 0.5, 0.9, 120_000))
                .build();
        Impact i = EventDecoding.impact(v, 85);
        // 0.010 x 120000 = 1200, 0.012 x 120000 = 1440, 1200 x 85 = 102000; the inconclusive guardrail is not counted
        assertEquals(1200, i.excessHarmedLow(), 1e-6);
        assertEquals(1440, i.excessHarmedHigh(), 1e-6);
        assertEquals(102_000, i.moneyAtStake(), 1e-6);
        assertEquals(0.015, i.checkoutShare(), 1e-12);
    }

    @Test
    void unboundedAndNegativeHarmBoundsAreClamped() {
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r")
                .setEvaluatedAt(ProtoTime.of(java.time.Instant.parse("2026-11-27T09:00:00Z")))
                .addEvidence(evidence("CONVERSION", Judgement.JUDGEMENT_HARMFUL, -0.01, Double.POSITIVE_INFINITY, 300))
                .addEvidence(evidence("REVIEW_SLA", Judgement.JUDGEMENT_HARMFUL, 0.2, 0.3, 300))
                .build();
        Impact i = EventDecoding.impact(v, 85);
        assertEquals(0, i.excessHarmedLow(), 0);
        assertEquals(300, i.excessHarmedHigh(), 0); // up to every exposed transaction
        assertEquals(true, i.slaBreached());
    }

    @Test
    void aRollbackGroupsByRolloutAndCarriesTheHarmedMetricAndCohort() {
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r-7")
                .setEvaluatedAt(ProtoTime.of(java.time.Instant.parse("2026-11-27T03:00:00Z")))
                .addEvidence(evidence("INCORRECT_APPROVAL_RATE", Judgement.JUDGEMENT_HARMFUL, 0.005, 0.02, 2000)).build();
        Alarm a = EventDecoding.alarm("e1", v, 85);
        assertEquals("rollout:r-7", a.groupingKey());
        assertEquals("INCORRECT_APPROVAL_RATE", a.metric());
        assertEquals("country=CA & age=18-24", a.cohort());
        assertEquals("alarm:rollout:r-7", a.foldKey());
    }

    @Test
    void aRollbackIsNamedAfterTheRollbackGuardrailItRestsOnNotAnAlertThatCameFirst() {
        // The local stack's seed 001 run of 2026-11-29: step-up-rate (alert only) and conversion-social (rollback)
        // both harmful; the incident read "STEP_UP_RATE harmed in all traffic".
        GuardrailEvidence stepUps = GuardrailEvidence.newBuilder().setGuardrail("step-up-rate").setMetric("STEP_UP_RATE")
                .setJudgement(Judgement.JUDGEMENT_HARMFUL).setHarmLower(0.0176).setHarmUpper(0.0725)
                .setTreatmentExposure(1926).setAction(io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ALERT)
                .build();
        GuardrailEvidence social = GuardrailEvidence.newBuilder().setGuardrail("conversion-social")
                .setMetric("CONVERSION").setCohort("login_method=social").setJudgement(Judgement.JUDGEMENT_HARMFUL)
                .setHarmLower(0.0107).setHarmUpper(0.2115).setTreatmentExposure(414)
                .setAction(io.vigil.contracts.events.v1.BreachAction.BREACH_ACTION_ROLLBACK).build();
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r")
                .setTreatmentShare(0.10).setEvaluatedAt(ProtoTime.of(java.time.Instant.parse("2026-11-30T06:09:00Z")))
                .addEvidence(stepUps).addEvidence(social).build();
        Alarm a = EventDecoding.alarm("e", v, 85);
        assertEquals("CONVERSION", a.metric());
        assertEquals("login_method=social", a.cohort());
        assertEquals("Rollback of r: CONVERSION harmed in login_method=social", a.title());
        // Verdicts of builds before the action was sent: the first harmful guardrail, as before.
        VerdictIssued older = v.toBuilder().setEvidence(0, stepUps.toBuilder().clearAction())
                .setEvidence(1, social.toBuilder().clearAction()).build();
        assertEquals("STEP_UP_RATE", EventDecoding.alarm("e", older, 85).metric());
    }

    @Test
    void aRolloutHarmingOneCohortAffectsThatCohortsPartOfTheArmNotTheWholeShare() {
        // The local stack's seed 001 run: a 10% canary, social logins 264 of the arm's 3,374 decisions.
        GuardrailEvidence all = GuardrailEvidence.newBuilder().setGuardrail("conversion").setMetric("CONVERSION")
                .setJudgement(Judgement.JUDGEMENT_INCONCLUSIVE).setHarmLower(-0.002).setHarmUpper(0.034)
                .setTreatmentExposure(3374).build();
        GuardrailEvidence social = all.toBuilder().setGuardrail("conversion-social").setCohort("login_method=social")
                .setJudgement(Judgement.JUDGEMENT_HARMFUL).setHarmLower(0.013).setHarmUpper(0.293)
                .setTreatmentExposure(264).build();
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r")
                .setTreatmentShare(0.10).setEvaluatedAt(ProtoTime.of(java.time.Instant.parse("2026-11-29T22:10:00Z")))
                .addEvidence(all).addEvidence(social).build();
        // 0.10 x 264 / 3374 = 0.0078246...
        assertEquals(0.10 * 264 / 3374, EventDecoding.impact(v, 85).checkoutShare(), 1e-12);
        // the same harm on all traffic: the whole share
        VerdictIssued everyone = v.toBuilder().setEvidence(0, all.toBuilder().setJudgement(Judgement.JUDGEMENT_HARMFUL))
                .build();
        assertEquals(0.10, EventDecoding.impact(everyone, 85).checkoutShare(), 1e-12);
        // no all-traffic guardrail to size the arm: the whole share, conservatively
        VerdictIssued unsized = v.toBuilder().removeEvidence(0).build();
        assertEquals(0.10, EventDecoding.impact(unsized, 85).checkoutShare(), 1e-12);
    }

    @Test
    void aVerdictWithoutItsEventTimeIsRefused() {
        VerdictIssued v = VerdictIssued.newBuilder().setKind(VerdictKind.VERDICT_KIND_ROLLBACK).setRolloutId("r").build();
        assertThrows(IllegalArgumentException.class, () -> EventDecoding.alarm("e", v, 85));
    }
}
