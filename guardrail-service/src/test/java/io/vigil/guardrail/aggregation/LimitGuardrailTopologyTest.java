package io.vigil.guardrail.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vigil.contracts.events.v1.DecisionMade;
import io.vigil.contracts.events.v1.GuardrailEvidence;
import io.vigil.contracts.events.v1.Judgement;
import io.vigil.contracts.events.v1.LimitProjection;
import io.vigil.contracts.events.v1.OutcomeKind;
import io.vigil.contracts.events.v1.VerdictIssued;
import io.vigil.contracts.events.v1.VerdictKind;
import io.vigil.contracts.scoring.v1.Decision;
import io.vigil.eventing.ProtoTime;
import io.vigil.guardrail.aggregation.GuardrailTopologyTest.Run;
import io.vigil.guardrail.aggregation.state.RolloutWatch;
import io.vigil.guardrail.aggregation.state.ShareChange;
import io.vigil.guardrail.aggregation.state.WatchedGuardrail;
import io.vigil.guardrail.evaluation.LabelMaturity;

/**
 * Guardrails judged against a limit of their own, on the whole topology with event time under the test's control:
 * the review queue's capacity and the step-up budget (a 10% step of a ramp 10% -> 50% -> 100%) and a ceiling on the
 * treatment's chargeback rate. The traffic is deterministic, so every projection is worked by hand:
 *
 * <p>1,000 decisions a minute, every tenth on the challenger (100 a minute, exactly 10%). The challenger reviews 3 of
 * every 50 of its decisions (6%) and steps up 5 (10%); the champion reviews 1 of 50 (2%) and steps up 2 (4%). So
 * 60,000 decisions an hour, and reviews per hour at share s are 60,000 (0.06 s + 0.02 (1 - s)): 1,440 at 10%, 2,400
 * at 50%, 3,600 at 100%; step-ups 60,000 (0.10 s + 0.04 (1 - s)): 2,760, 4,200 and 6,000. With two guardrails each
 * arm's sequence runs at 0.05 / 4; after 60 minutes (6,000 and 54,000 decisions) the bounds (from an independent
 * scipy computation of the same beta-binomial mixture) are: reviews [1,221.4, 1,683.3] at 10%, [1,950.8, 2,911.1] at
 * 50%, [2,862.6, 4,445.8] at 100%; step-ups [2,463.5, 3,079.0], [3,618.1, 4,837.1], [5,061.4, 7,034.7].
 */
class LimitGuardrailTopologyTest {

    static final Instant T0 = GuardrailTopologyTest.T0;

    @Test
    void aRampWhoseNextStepWouldOverloadTheReviewQueueHoldsAndANewCapacityReleasesIt() throws Exception {
        Run run = new Run();
        RolloutWatch w = loadWatch("load-hold", 1_800, "ALERT", 5_000);
        run.watch(w);
        List<VerdictIssued> verdicts = traffic(run, 0, 63);

        VerdictIssued hold = at(verdicts, 60);
        assertEquals(VerdictKind.VERDICT_KIND_HOLD, hold.getKind());
        assertEquals("promotion would exceed a limit: review queue (promotion to 50% would overload the review queue: "
                + "2,400 [1,951, 2,911] reviews per 1h against 1,800)", hold.getReason());
        GuardrailEvidence reviews = hold.getEvidence(0);
        assertEquals("REVIEW_QUEUE_LOAD", reviews.getMetric());
        assertEquals(Judgement.JUDGEMENT_INCONCLUSIVE, reviews.getJudgement());
        assertEquals(1_800, reviews.getLimit().getLimit());
        assertEquals(3_600, reviews.getLimit().getPeriodSeconds());
        assertEquals(60_000, reviews.getLimit().getDecisionsPerPeriod(), 1e-9);
        assertProjection(reviews.getLimit().getProjections(0), 0.1, 1_440, 1_221.4158783, 1_683.3414217);
        assertProjection(reviews.getLimit().getProjections(1), 0.5, 2_400, 1_950.8433207, 2_911.0827202);
        assertProjection(reviews.getLimit().getProjections(2), 1.0, 3_600, 2_862.6276238, 4_445.7593433);
        assertEquals(6_000, reviews.getTreatmentExposure());
        assertEquals(54_000, reviews.getControlExposure());
        // The harm per decision: (1,440 - 1,800) / 60,000 estimated, (1,683.34 - 1,800) / 60,000 at most.
        assertEquals(-0.006, reviews.getEstimate(), 1e-12);
        assertEquals((1_683.3414217 - 1_800) / 60_000, reviews.getHarmUpper(), 1e-9);
        GuardrailEvidence stepUps = hold.getEvidence(1);
        assertEquals(Judgement.JUDGEMENT_NON_INFERIOR, stepUps.getJudgement());
        assertProjection(stepUps.getLimit().getProjections(0), 0.1, 2_760, 2_463.4854507, 3_079.0494620);
        assertProjection(stepUps.getLimit().getProjections(1), 0.5, 4_200, 3_618.0997518, 4_837.1175032);

        // The operator raises the queue's capacity to 3,000 an hour: the watch is republished and the next minute's
        // verdict sees it (2,911 at 50% at most, within 3,000): the step may be promoted.
        run.rollouts.pipeInput(w.getRolloutId(), loadWatch("load-hold", 3_000, "ALERT", 5_000).toByteArray(),
                T0.plus(Duration.ofMinutes(63)));
        verdicts.addAll(traffic(run, 63, 5));
        VerdictIssued released = verdicts.get(verdicts.size() - 1);
        assertEquals(VerdictKind.VERDICT_KIND_PROMOTE_STEP, released.getKind(), released.getReason());
        assertEquals(3_000, released.getEvidence(0).getLimit().getLimit());
        run.close();
    }

    @Test
    void aStepThatOverloadsTheReviewQueueNowIsRolledBack() throws Exception {
        Run run = new Run();
        run.watch(loadWatch("load-breach", 1_100, "ROLLBACK", 5_000));
        List<VerdictIssued> verdicts = traffic(run, 0, 61);
        run.close();
        VerdictIssued rollback = verdicts.get(verdicts.size() - 1);
        assertEquals(VerdictKind.VERDICT_KIND_ROLLBACK, rollback.getKind());
        assertTrue(rollback.getReason().startsWith("breached: review queue"), rollback.getReason());
        GuardrailEvidence reviews = rollback.getEvidence(0);
        assertEquals(Judgement.JUDGEMENT_HARMFUL, reviews.getJudgement());
        LimitProjection now = reviews.getLimit().getProjections(0);
        assertEquals(1_440, now.getEstimate(), 1e-6);
        assertTrue(now.getLower() > 1_100, "surely over capacity: " + now);
        assertTrue(reviews.getHarmLower() > 0, "an excess over capacity: " + reviews);
        long minute = Duration.between(T0, ProtoTime.toInstant(rollback.getEvaluatedAt())).toMinutes();
        System.out.printf("topology: review load 1,440/h at 10%% against a capacity of 1,100/h rolled back at minute "
                + "%d (bounds %.1f-%.1f)%n", minute, now.getLower(), now.getUpper());
    }

    @Test
    void loadsWithinCapacityAtTheNextStepPromote() throws Exception {
        Run run = new Run();
        run.watch(loadWatch("load-pass", 5_000, "ROLLBACK", 5_000));
        List<VerdictIssued> verdicts = traffic(run, 0, 63);
        run.close();
        VerdictIssued v = at(verdicts, 60);
        assertEquals(VerdictKind.VERDICT_KIND_PROMOTE_STEP, v.getKind(), v.getReason());
        assertEquals(Judgement.JUDGEMENT_NON_INFERIOR, v.getEvidence(0).getJudgement());
        assertEquals(Judgement.JUDGEMENT_NON_INFERIOR, v.getEvidence(1).getJudgement());
    }

    /**
     * Chargebacks against a ceiling of 0.9%, labels half in by 10 minutes, 90% by 30, all by an hour. 100 approvals a
     * minute, alternately on each arm; every 500th of the challenger's is charged back at once. At minute 20 the
     * challenger's 1,000 approvals of vintages aged 0..19 minutes expect 50 x (0.05 (0 + .. + 10) + 9 x 0.5 + 0.02 (1
     * + .. + 9)) = 50 x 8.15 = 407.5 chargeback labels; 2 are in: projected 2 / 407.5 = 0.4908%, not yet bounded
     * either way, so the step holds and says how many labels are in.
     */
    @Test
    void theChargebackCeilingHoldsWhileLabelsAreMissingAndIsBreachedByAChallengerFarAboveIt() throws Exception {
        LabelMaturity labels = LabelMaturity.parse("PT10M=0.5,PT30M=0.9,PT1H=1", 0.9);
        Run run = new Run(labels);
        run.watch(ceilingWatch("ceiling-1"));
        // Until minute 33: the upstream task's progress is the older of its decisions' and its outcomes' event time,
        // so minute 20 is judged once the chargeback of minute 30 has come.
        List<VerdictIssued> verdicts = chargebacks(run, 500, 33);
        run.close();
        VerdictIssued hold = at(verdicts, 20);
        assertEquals(VerdictKind.VERDICT_KIND_HOLD, hold.getKind());
        GuardrailEvidence e = hold.getEvidence(0);
        assertEquals("CHARGEBACK_RATE", e.getMetric());
        assertEquals(Judgement.JUDGEMENT_INCONCLUSIVE, e.getJudgement());
        assertEquals(0.4075, e.getLabelMaturity(), 1e-12);
        assertEquals(0.009, e.getLimit().getLimit());
        assertEquals(0, e.getLimit().getPeriodSeconds());
        assertEquals(2 / 407.5, e.getLimit().getProjections(0).getEstimate(), 1e-12);
        assertEquals(2 / 407.5 - 0.009, e.getEstimate(), 1e-12);
        assertEquals(1_000, e.getTreatmentExposure());
        assertTrue(hold.getReason().contains("chargebacks (chargebacks: 40.8% of the treatment's expected so far; its "
                + "rate projected 0.4908% in ["), hold.getReason());

        // Every 20th charged back (5%): far above the ceiling, rolled back however few labels are in.
        Run worse = new Run(labels);
        worse.watch(ceilingWatch("ceiling-2"));
        List<VerdictIssued> worseVerdicts = chargebacks(worse, 20, 60);
        worse.close();
        VerdictIssued rollback = worseVerdicts.get(worseVerdicts.size() - 1);
        assertEquals(VerdictKind.VERDICT_KIND_ROLLBACK, rollback.getKind(), rollback.getReason());
        assertTrue(rollback.getReason().startsWith("breached: chargebacks"), rollback.getReason());
        assertTrue(rollback.getEvidence(0).getLimit().getProjections(0).getLower() > 0.009);
        System.out.printf("topology: chargebacks 5%% against a 0.9%% ceiling rolled back at minute %d (%.1f%% of "
                + "the labels in)%n", Duration.between(T0, ProtoTime.toInstant(rollback.getEvaluatedAt())).toMinutes(),
                100 * rollback.getEvidence(0).getLabelMaturity());
    }

    static RolloutWatch loadWatch(String id, double reviewCapacity, String reviewAction, double stepUpBudget) {
        return RolloutWatch.newBuilder().setRolloutId(id).setTreatmentModelVersion("challenger-v2").setActive(true)
                .addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.1))
                .addPlannedShares(0.1).addPlannedShares(0.5).addPlannedShares(1.0)
                .addGuardrails(WatchedGuardrail.newBuilder().setName("review queue").setMetric("REVIEW_QUEUE_LOAD")
                        .setLimit(reviewCapacity).setPeriodMillis(Duration.ofHours(1).toMillis())
                        .setAction(reviewAction).setMinimumExposurePerArm(2_000))
                .addGuardrails(WatchedGuardrail.newBuilder().setName("step-up budget").setMetric("STEP_UP_BUDGET")
                        .setLimit(stepUpBudget).setPeriodMillis(Duration.ofHours(1).toMillis())
                        .setAction("ROLLBACK").setMinimumExposurePerArm(2_000))
                .setAlpha(0.05).setMinimumStepMillis(Duration.ofMinutes(30).toMillis())
                .setSettleMillis(Duration.ofMinutes(2).toMillis()).setPlannedDecisions(100_000).build();
    }

    static RolloutWatch ceilingWatch(String id) {
        return RolloutWatch.newBuilder().setRolloutId(id).setTreatmentModelVersion("challenger-v2").setActive(true)
                .addShares(ShareChange.newBuilder().setFromMillis(T0.toEpochMilli()).setShare(0.5))
                .addPlannedShares(0.5)
                .addGuardrails(WatchedGuardrail.newBuilder().setName("chargebacks").setMetric("CHARGEBACK_RATE")
                        .setLimit(0.009).setAction("ROLLBACK").setMinimumExposurePerArm(1_000))
                .setAlpha(0.05).setMinimumStepMillis(Duration.ofMinutes(10).toMillis())
                .setSettleMillis(Duration.ofMinutes(2).toMillis()).setPlannedDecisions(10_000).build();
    }

    /** The deterministic traffic of the class comment, minutes {@code from} to {@code from + minutes - 1}. */
    private static List<VerdictIssued> traffic(Run run, int from, int minutes) throws Exception {
        List<VerdictIssued> out = new ArrayList<>();
        for (int m = from; m < from + minutes; m++) {
            Instant minute = T0.plus(Duration.ofMinutes(m));
            for (int i = 0; i < 1_000; i++) {
                long tx = (long) m * 1_000 + i;
                boolean challenger = tx % 10 == 0;
                // Each arm's own count of decisions: tx / 10 on the challenger, the other nine of ten on the champion.
                long n = challenger ? tx / 10 : tx - tx / 10 - 1;
                int k = (int) (n % 50);
                Decision decision = challenger ? (k < 3 ? Decision.DECISION_REVIEW
                        : k < 8 ? Decision.DECISION_STEP_UP : Decision.DECISION_APPROVE)
                        : (k < 1 ? Decision.DECISION_REVIEW : k < 3 ? Decision.DECISION_STEP_UP
                                : Decision.DECISION_APPROVE);
                Instant at = minute.plusMillis(i * 60L);
                String id = "tx-" + tx;
                DecisionMade d = Run.decision(id, challenger, at).toBuilder().setDecision(decision).build();
                run.decisions.pipeInput(id, d.toByteArray(), at);
            }
            drain(run, out);
            if (!out.isEmpty() && out.get(out.size() - 1).getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
                break;
            }
        }
        return out;
    }

    /**
     * 100 approvals a minute, alternately on each arm, for {@code minutes}; every {@code every}-th of the challenger's
     * is charged back (fraud) one second after its payment. Stops at the first ROLLBACK.
     */
    private static List<VerdictIssued> chargebacks(Run run, int every, int minutes) throws Exception {
        List<VerdictIssued> out = new ArrayList<>();
        long challengerApprovals = 0;
        for (int m = 0; m < minutes; m++) {
            Instant minute = T0.plus(Duration.ofMinutes(m));
            for (int i = 0; i < 100; i++) {
                long tx = (long) m * 100 + i;
                boolean challenger = tx % 2 == 0;
                String id = "tx-" + tx;
                Instant at = minute.plusMillis(i * 600L);
                run.decisions.pipeInput(id, Run.decision(id, challenger, at).toByteArray(), at);
                if (challenger && challengerApprovals++ % every == 0) {
                    Instant cb = at.plusSeconds(1);
                    run.outcomes.pipeInput(id, Run.outcome(id, cb).toBuilder()
                            .setKind(OutcomeKind.OUTCOME_KIND_CHARGEBACK_FRAUD).build().toByteArray(), cb);
                }
            }
            drain(run, out);
            if (!out.isEmpty() && out.get(out.size() - 1).getKind() == VerdictKind.VERDICT_KIND_ROLLBACK) {
                break;
            }
        }
        return out;
    }

    private static void drain(Run run, List<VerdictIssued> out) throws Exception {
        while (!run.verdicts.isEmpty()) {
            out.add(VerdictIssued.parseFrom(run.verdicts.readValue()));
        }
    }

    private static VerdictIssued at(List<VerdictIssued> verdicts, int minute) {
        long at = T0.plus(Duration.ofMinutes(minute)).toEpochMilli();
        return verdicts.stream().filter(v -> ProtoTime.toInstant(v.getEvaluatedAt()).toEpochMilli() == at).findFirst()
                .orElseThrow(() -> new AssertionError("no verdict at minute " + minute + " among " + verdicts.size()
                        + (verdicts.isEmpty() ? "" : ", the last at " + ProtoTime.toInstant(
                                verdicts.get(verdicts.size() - 1).getEvaluatedAt()))));
    }

    private static void assertProjection(LimitProjection p, double share, double estimate, double lower,
            double upper) {
        assertEquals(share, p.getShare(), 1e-12);
        assertEquals(estimate, p.getEstimate(), 1e-6);
        assertEquals(lower, p.getLower(), 1e-4);
        assertEquals(upper, p.getUpper(), 1e-4);
    }
}
